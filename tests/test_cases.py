"""Legal test cases: one YAML file per case in tests/cases/, written as a lawyer would.

Each file gives the answers of a State and the verdicts a treaty lawyer expects for the
obligations named under `expect`:

```yaml
title: What the case shows, in one line
treaty: >-                          # the treaty words the verdict rests on; quotations in
  TIP art. 7(2): "In implementing the provision contained in paragraph 1 ..."
instruments: [tip]                  # as in an answers file
party_status: {tip: party}          # optional
notes: >-                           # optional: other material (interpretative notes, guides)
answers:                            # question id -> value, or a mapping as in an answers file
  tip.residence_types: []           #   ({answer: ..., citations: [...]} or {skipped: true})
expect:
  tip.7.2:
    status: not_applicable          # met | partially_met | not_met | not_applicable | not_assessed
    priority: high                  # optional: the gap's priority (high | medium | low)
    binding: true                   # optional
    finding_mentions: [paragraph 1] # optional: case-insensitive substrings of the findings
    finding_excludes: [cooperat]    # optional: substrings the findings must not contain
    measure_mentions: [...]         # optional: substrings of the required measures
    advisories:                     # optional: exactly these advisories ([] for none), any order
      - {priority: medium, mentions: [cooperat], id: tip.7.2.cooperation}
    open_questions: 0               # optional: exact number of questions still open
```

Every double-quoted passage in `treaty:` must be the treaty's own words, as they stand in
obligations/sources/, inside the provision cited last before it (`TIP art. 7(2): "..."`; an
ellipsis "..." may join fragments): a case cannot rest on a misquotation or a wrong article.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from palermo.answers import Answer, AnswersFile, check_answers
from palermo.gaps import analyse
from palermo.model import PRIORITY_LABELS, GapAnalysis, ObligationResult, Status
from palermo.treaty import contains_verbatim, load_treaty, normalise
from palermo.workspace import Workspace, open_workspace
from palermo.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))
SOURCES = ROOT / "obligations" / "sources"
INSTRUMENTS = tuple(open_workspace().catalog.instruments)

CASE_KEYS = {"title", "treaty", "instruments", "party_status", "notes", "answers", "expect"}
EXPECT_KEYS = {"status", "priority", "binding", "finding_mentions", "finding_excludes",
               "measure_mentions", "advisories", "open_questions"}
ADVISORY_KEYS = {"priority", "mentions", "id"}
ANSWER_KEYS = {"answer", "citations", "note", "skipped"}
PRIORITIES = {label.lower() for label in PRIORITY_LABELS.values()}
PARTY = {"party", "signatory", "not_party"}
_QUOTED = re.compile(r'"([^"]+)"')
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")


class CaseError(AssertionError):
    """A case file that is itself wrong (not the verdict it tests)."""


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return open_workspace()


def _require(condition: bool, path: Path, message: str) -> None:
    if not condition:
        raise CaseError(f"{path.name}: {message}")


def _keys(mapping: Any, allowed: set[str], path: Path, where: str) -> None:
    _require(isinstance(mapping, dict), path, f"{where} must be a mapping")
    unknown = sorted(set(mapping) - allowed)
    _require(not unknown, path, f"{where}: unknown key(s) {', '.join(unknown)} "
                                f"(expected: {', '.join(sorted(allowed))})")


def _strings(value: Any, path: Path, where: str) -> list[str]:
    _require(isinstance(value, list) and all(isinstance(v, str) and v for v in value), path,
             f"{where} must be a list of non-empty strings")
    return value


def load_case(path: Path) -> dict:
    """A case file, checked for shape (not yet against the questionnaires)."""
    data = load_yaml(path).data
    _keys(data, CASE_KEYS, path, "the case")
    for key in ("title", "treaty", "instruments", "answers", "expect"):
        _require(key in data, path, f"missing '{key}'")
    for key in ("title", "treaty"):
        _require(isinstance(data[key], str) and data[key].strip(), path,
                 f"'{key}' must be non-empty text")
    _require(isinstance(data["instruments"], list) and data["instruments"]
             and set(data["instruments"]) <= set(INSTRUMENTS), path,
             f"'instruments' must list some of: {', '.join(INSTRUMENTS)}")
    party = data.get("party_status", {})
    _require(isinstance(party, dict) and set(party) <= set(INSTRUMENTS)
             and set(party.values()) <= PARTY, path,
             f"'party_status' maps instruments to one of: {', '.join(sorted(PARTY))}")
    _require(isinstance(data["answers"], dict), path, "'answers' must be a mapping")
    _require(isinstance(data["expect"], dict) and data["expect"], path,
             "'expect' must name at least one obligation")
    for oid, expected in data["expect"].items():
        where = f"expect.{oid}"
        _keys(expected, EXPECT_KEYS, path, where)
        _require("status" in expected, path, f"{where}: missing 'status'")
        _require(expected["status"] in {s.value for s in Status}, path,
                 f"{where}: status '{expected['status']}' is not one of "
                 f"{', '.join(s.value for s in Status)}")
        if "priority" in expected:
            _require(expected["priority"] in PRIORITIES, path,
                     f"{where}: priority must be one of {', '.join(sorted(PRIORITIES))}")
        for key in ("finding_mentions", "finding_excludes", "measure_mentions"):
            if key in expected:
                _strings(expected[key], path, f"{where}.{key}")
        for index, advisory in enumerate(expected.get("advisories", [])):
            _keys(advisory, ADVISORY_KEYS, path, f"{where}.advisories[{index}]")
            _require(advisory.get("priority") in PRIORITIES, path,
                     f"{where}.advisories[{index}]: priority must be one of "
                     f"{', '.join(sorted(PRIORITIES))}")
            _strings(advisory.get("mentions", []), path, f"{where}.advisories[{index}].mentions")
    return data


def answers_of(path: Path, data: dict) -> AnswersFile:
    answers = {}
    for qid, raw in data["answers"].items():
        if isinstance(raw, dict):
            _keys(raw, ANSWER_KEYS, path, f"answers.{qid}")
            answers[qid] = Answer(value=raw.get("answer"), citations=list(raw.get("citations", [])),
                                  note=raw.get("note"), skipped=bool(raw.get("skipped")))
        else:
            answers[qid] = Answer(value=raw)
    return AnswersFile(state="Arvenia", instruments=list(data["instruments"]), answers=answers,
                       party_status=dict(data.get("party_status", {})),
                       path=str(path.relative_to(ROOT)))


def run_case(ws: Workspace, path: Path) -> tuple[dict, GapAnalysis]:
    data = load_case(path)
    answers = answers_of(path, data)
    problems = check_answers(answers, ws.bank)
    _require(not problems, path, "answers do not fit the questionnaires: "
                                 + "; ".join(p.message + (f" ({p.ident})" if p.ident else "")
                                             for p in problems))
    retired = sorted(set(answers.answers) & set(ws.bank.retired))
    _require(not retired, path, f"answers retired question(s) {', '.join(retired)}: "
                                "a case tests what is asked today")
    return data, analyse(ws.catalog, ws.bank, answers)


def _text(result: ObligationResult, which: str) -> str:
    parts = result.findings if which == "findings" else result.required_measures
    return " ".join(parts).lower()


def _advisory_matches(advisory: Any, expected: dict) -> bool:
    return (advisory.priority.label.lower() == expected["priority"]
            and all(m.lower() in advisory.text.lower() for m in expected.get("mentions", []))
            and ("id" not in expected or advisory.id == expected["id"]))


def _describe(result: ObligationResult) -> str:
    lines = [f"    status: {result.status.value}"
             + (f" ({result.priority.label})" if result.priority else "")]
    lines += [f"    finding: {f}" for f in result.findings]
    lines += [f"    measure: {m}" for m in result.required_measures]
    lines += [f"    advisory [{a.priority.label}] {a.id or ''}: {a.text}" for a in result.advisories]
    if result.open_questions:
        lines.append(f"    open: {', '.join(result.open_questions)}")
    return "\n".join(lines)


def check_advisories(result: ObligationResult, expected: list[dict]) -> list[str]:
    """Each expected advisory matches a different actual one, and there are no others."""
    unmatched = list(result.advisories)
    problems = []
    for spec in expected:
        hit = next((a for a in unmatched if _advisory_matches(a, spec)), None)
        if hit is None:
            problems.append(f"no {spec['priority']} advisory mentioning "
                            f"{spec.get('mentions', [])}" + (f" with id {spec['id']}"
                                                             if "id" in spec else ""))
        else:
            unmatched.remove(hit)
    problems += [f"unexpected {a.priority.label} advisory {a.id or ''}: {a.text[:90]}"
                 for a in unmatched]
    return problems


def check_result(result: ObligationResult, expected: dict) -> list[str]:
    problems = []
    if result.status.value != expected["status"]:
        problems.append(f"status is {result.status.value}, expected {expected['status']}")
    if "priority" in expected:
        got = result.priority.label.lower() if result.priority else None
        if got != expected["priority"]:
            problems.append(f"priority is {got}, expected {expected['priority']}")
    if "binding" in expected and result.binding != expected["binding"]:
        problems.append(f"binding is {result.binding}, expected {expected['binding']}")
    findings = _text(result, "findings")
    problems += [f"findings do not mention '{m}'" for m in expected.get("finding_mentions", [])
                 if m.lower() not in findings]
    problems += [f"findings mention '{m}'" for m in expected.get("finding_excludes", [])
                 if m.lower() in findings]
    measures = _text(result, "measures")
    problems += [f"required measures do not mention '{m}'"
                 for m in expected.get("measure_mentions", []) if m.lower() not in measures]
    if "advisories" in expected:
        problems += check_advisories(result, expected["advisories"])
    if "open_questions" in expected and len(result.open_questions) != expected["open_questions"]:
        problems.append(f"{len(result.open_questions)} questions open "
                        f"({', '.join(result.open_questions) or 'none'}), "
                        f"expected {expected['open_questions']}")
    return problems


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(ws: Workspace, path: Path) -> None:
    data, analysis = run_case(ws, path)
    results = {r.obligation.id: r for r in analysis.results}
    failures = []
    for oid, expected in data["expect"].items():
        _require(oid in ws.catalog.obligations, path, f"expect names unknown obligation '{oid}'")
        _require(oid in results, path, f"{oid} is not in the scope of an assessment of "
                                       f"{', '.join(data['instruments'])}")
        problems = check_result(results[oid], expected)
        if problems:
            failures.append(f"  {oid}: " + "; ".join(problems) + "\n" + _describe(results[oid]))
    if failures:
        pytest.fail(f"{path.name} ({data['title']}):\n" + "\n".join(failures), pytrace=False)


# "TIP art. 7(2):", "art. 6(1)(a)", "UNTOC arts. 5": the provision a quotation that follows
# is taken from. An instrument name carries over to later references without one.
_REFERENCE = re.compile(r"\b(?:(UNTOC|TIP|SOM|Firearms)\s+)?arts?\.\s*(\d+)((?:\([a-z0-9]+\))*)",
                        re.IGNORECASE)


@cache
def _treaty(instrument: str) -> Any:
    return load_treaty(instrument, SOURCES)


def _provision_before(text: str, end: int, instruments: list[str]) -> str | None:
    """The provision id named last before position `end`, or None if none is named."""
    ident, current = None, instruments[0] if len(instruments) == 1 else None
    for match in _REFERENCE.finditer(text, 0, end):
        if match.group(1):
            current = match.group(1).lower()
        parts = [match.group(2)] + re.findall(r"\(([a-z0-9]+)\)", match.group(3))
        ident = f"{current}." + ".".join(parts) if current else None
    return ident


def misquotations(treaty_text: str, instruments: list[str]) -> list[str]:
    """Quoted fragments that are not the words of the provision cited before them."""
    text = normalise(treaty_text)
    wrong = []
    for match in _QUOTED.finditer(text):
        ident = _provision_before(text, match.start(), instruments)
        instrument = ident.split(".")[0] if ident else None
        for fragment in _ELLIPSIS.split(match.group(1)):
            fragment = fragment.strip(" ,;:")
            if not fragment:
                continue
            if ident and instrument:
                treaty = _treaty(instrument)
                if treaty.find(ident) is None:
                    wrong.append(f"{ident} does not exist (quoting '{fragment[:60]}')")
                elif not contains_verbatim(treaty, fragment, within=ident):
                    wrong.append(f"'{fragment[:80]}' is not in {ident}")
            elif not any(contains_verbatim(_treaty(i), fragment) for i in INSTRUMENTS):
                wrong.append(f"'{fragment[:80]}' is in no treaty text")
    return wrong


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_quotes_the_treaty_verbatim(path: Path) -> None:
    data = load_case(path)
    wrong = misquotations(data["treaty"], list(data["instruments"]))
    assert not wrong, f"{path.name}: treaty: " + "; ".join(wrong)


def test_misquotation_and_wrong_article_are_caught() -> None:
    """The quotation check itself: right words, wrong words, wrong article."""
    right = 'TIP art. 7(2): "shall give appropriate consideration to humanitarian"'
    assert misquotations(right, ["tip"]) == []
    assert misquotations('TIP art. 7(1): "shall give appropriate consideration"', ["tip"]) \
        == ["'shall give appropriate consideration' is not in tip.7.1"]
    assert misquotations('TIP art. 7(2): "shall give due consideration"', ["tip"]) \
        == ["'shall give due consideration' is not in tip.7.2"]
    assert misquotations('UNTOC art. 99: "shall"', ["untoc"]) == ["untoc.99 does not exist "
                                                                   "(quoting 'shall')"]


def test_every_case_file_is_collected() -> None:
    """A case file with another extension would silently never run."""
    stray = [p.name for p in (ROOT / "tests" / "cases").iterdir()
             if p.is_file() and p.suffix != ".yaml"]
    assert not stray, f"tests/cases holds files that are not .yaml cases: {stray}"
