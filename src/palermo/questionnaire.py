"""Questionnaires: sections, questions and the rules that turn answers into statuses."""

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from palermo.catalog import Catalog
from palermo.conditions import compared_values, questions_in
from palermo.errors import InputError, UnknownIdError, closest, cut
from palermo.model import NO_ENTRIES
from palermo.questiontypes import TRI_STATE_LABELS, UNKNOWN_ANSWER, question_type
from palermo.resources import bundled
from palermo.schemacheck import check_schema
from palermo.yamlio import Document, load_yaml

ADVISORY_PRIORITIES = {"high": 1, "medium": 2, "low": 3}  # ranks of palermo.model.Priority

# As in palermo.model, the immutable records are NamedTuples (cheap to create at every start),
# with read-only empty mappings as defaults. Case keeps a cached property: a dataclass.


class AdvisorySpec(NamedTuple):
    """A recommendation a rule case carries, before rendering (text is Jinja2)."""

    id: str
    priority: str  # high | medium | low
    text: str
    basis: tuple[str, ...]


class Narrowing(NamedTuple):
    """An answer that defines a treaty term more narrowly than the treaty (`narrows:`)."""

    terms: tuple[str, ...]
    when: dict
    status: str
    finding: str
    measure: str | None = None


class Question(NamedTuple):
    """One question of a questionnaire; `type` is a row of questiontypes.QUESTION_TYPES."""

    id: str
    instrument: str
    section_id: str
    section_title: str
    text: str
    type: str
    help: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    obligations: tuple[str, ...] = ()
    show_if: dict | None = None
    findings: Mapping[str, str] = NO_ENTRIES
    ask_citations: bool = True
    asked_for: tuple[str, ...] = ()
    narrows: Narrowing | None = None
    since: str | None = None  # catalog version that first asked it
    # default rule: advisories per answer value, like `findings`
    advisories: Mapping[str, tuple[AdvisorySpec, ...]] = NO_ENTRIES

    @property
    def values(self) -> tuple[str, ...]:
        """Valid answer values, 'unknown' included; empty for free answers."""
        return question_type(self.type).values(self)

    def label(self, value: object) -> str:
        """How an answer value reads in a report or prompt."""
        if value is None:
            return "Not answered"
        kind = question_type(self.type)
        if kind.fixed_values:
            return TRI_STATE_LABELS.get(str(value), str(value))
        if kind.has_options:
            labels = dict(self.options)
            items = value if isinstance(value, list) else [value]
            if value == UNKNOWN_ANSWER:
                return "Unknown"
            return "; ".join(labels.get(str(v), str(v)) for v in items) or "None of these"
        if isinstance(value, list):
            return "; ".join(value)
        return str(value)

    def to_dict(self) -> dict:
        data: dict = {"id": self.id, "instrument": self.instrument, "section": self.section_id,
                      "text": self.text, "type": self.type}
        if self.options:
            data["options"] = [{"value": v, "label": label} for v, label in self.options]
        if self.help:
            data["help"] = self.help
        if self.obligations:
            data["obligations"] = list(self.obligations)
        if self.show_if:
            data["show_if"] = self.show_if
        data["asked_for"] = list(self.asked_for)
        return data


class Case(NamedTuple):
    """One case of a status rule: the condition on answers, the status and the wording it gives."""

    when: dict | None
    status: str
    finding: str
    option: str | None = None
    measure: str | None = None
    advisories: tuple[AdvisorySpec, ...] = ()
    # The question ids `when` reads, in order: found once by the loader, not per report
    # (None: found each time `reads` is asked).
    question_ids: tuple[str, ...] | None = None

    @property
    def reads(self) -> tuple[str, ...]:
        """The question ids its condition reads, in order."""
        if self.question_ids is not None:
            return self.question_ids
        return tuple(qid for qid, _ in questions_in(self.when or {}))


class Rule(NamedTuple):
    """How answers decide one obligation's status: its cases, read first-match or all."""

    obligation: str
    cases: tuple[Case, ...]
    source: str  # file that defines it, for messages
    combine: str = "first"  # or "all": report every defect, not only the first


class Section(NamedTuple):
    """A section of a questionnaire: the questions an interview asks together."""

    id: str
    instrument: str
    title: str
    intro: str | None
    question_ids: tuple[str, ...]


class QuestionBank(NamedTuple):
    """Every question and rule of a questionnaires folder, checked against a catalog."""

    directory: Path
    questions: dict[str, Question]
    sections: list[Section]
    rules: dict[str, Rule]
    retired: dict[str, str]  # question id -> reason

    def get(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise UnknownIdError("question", question_id, self.questions) from None

    def informing(self, obligation_id: str) -> list[Question]:
        return [q for q in self.questions.values() if obligation_id in q.obligations]

    def narrowing(self, terms: tuple[str, ...]) -> list[Question]:
        """Questions whose answer can narrow one of these defined terms."""
        return [q for q in self.questions.values()
                if q.narrows and set(q.narrows.terms) & set(terms)]


def _question(entry: dict, instrument: str, section: dict) -> Question:
    return Question(
        id=entry["id"], instrument=instrument, section_id=section["id"],
        section_title=section["title"], text=" ".join(entry["text"].split()),
        type=entry["type"], help=entry.get("help"),
        options=tuple((o["value"], o["label"]) for o in entry.get("options", [])),
        obligations=tuple(entry.get("obligations", [])), show_if=entry.get("show_if"),
        findings=entry.get("findings", {}),
        ask_citations=entry.get("ask_citations", question_type(entry["type"]).asks_citations),
        asked_for=tuple(entry.get("asked_for", [instrument])),
        narrows=_narrowing(entry), since=entry.get("since"),
        advisories={value: _advisories(items)
                    for value, items in (entry.get("advisories") or {}).items()},
    )


def _narrowing(entry: dict) -> Narrowing | None:
    spec = entry.get("narrows")
    if spec is None:
        return None
    when = spec.get("when") or {"q": entry["id"], "in": ["partly", "no"]}
    terms = (spec["term"],) if isinstance(spec["term"], str) else tuple(spec["term"])
    return Narrowing(terms, when, spec.get("status", "partially_met"),
                     spec["finding"].strip(), (spec.get("measure") or "").strip() or None)


def load_questionnaires(catalog: Catalog, directory: Path | str | None = None) -> QuestionBank:
    """Load every questionnaire for the catalog's instruments and check all cross-references."""
    folder = Path(directory) if directory is not None else bundled("questionnaires")
    if not folder.is_dir():
        raise InputError("questionnaires folder not found", path=str(folder))
    bank = QuestionBank(folder, {}, [], {}, {})
    docs: dict[str, Document] = {}
    for instrument in catalog.instruments:
        path = folder / f"{instrument}.yaml"
        if not path.exists():
            continue
        doc = load_yaml(path, aliases=True)
        check_schema(doc, "questionnaire")
        if doc.data["instrument"] != instrument:
            raise doc.error(f"instrument '{doc.data['instrument']}' does not match the file name "
                            f"(expected '{instrument}')", ["instrument"])
        docs[instrument] = doc
        _add_questions(bank, doc, instrument, catalog)
    for doc in docs.values():
        _add_rules(bank, doc, catalog)
    for doc in docs.values():
        _check_conditions(bank, doc)
    _check_retired(bank, docs)
    _check_chains(bank, docs)
    return bank


def _check_retired(bank: QuestionBank, docs: dict[str, Document]) -> None:
    """A retired id may not be asked again, by any questionnaire (whatever the load order)."""
    for doc in docs.values():
        for index, entry in enumerate(doc.data.get("retired", [])):
            if entry["id"] in bank.questions:
                asked = bank.questions[entry["id"]].instrument
                raise doc.error(f"a retired question id cannot be used again (it is asked in "
                                f"{asked}.yaml)", ["retired", index, "id"], ident=entry["id"])


MAX_CHAIN = 40  # questions a show_if may depend on in turn (the bundled ones: at most 6)


def _check_chains(bank: QuestionBank, docs: dict[str, Document]) -> None:
    """show_if conditions may not depend on each other in a cycle or an endless chain.

    Depths are computed without recursion, so a hostile questionnaire of 10,000 questions
    each shown after the previous one gives an error, not a RecursionError.
    """
    depends = {q.id: [d for d, _ in questions_in(q.show_if or {}) if d in bank.questions]
               for q in bank.questions.values()}
    depth: dict[str, int] = {}
    for start in depends:
        stack = [(start, 0)]
        path: list[str] = []   # the chain being followed, and the same as a set
        on_path: set[str] = set()
        while stack:
            qid, state = stack.pop()
            if state == 1:
                on_path.discard(path.pop())
                depth[qid] = 1 + max((depth[d] for d in depends[qid]), default=0)
                if depth[qid] > MAX_CHAIN:
                    _chain_error(bank, docs, qid, f"depends on more than {MAX_CHAIN} "
                                 "questions in turn through show_if")
                continue
            if qid in depth:
                continue
            if qid in on_path:
                cycle = " → ".join([*path[path.index(qid):], qid])
                _chain_error(bank, docs, qid, f"show_if conditions form a cycle: {cycle}")
            path.append(qid)
            on_path.add(qid)
            stack.append((qid, 1))
            stack.extend((d, 0) for d in depends[qid] if d not in depth)


def _chain_error(bank: QuestionBank, docs: dict[str, Document], qid: str, message: str) -> None:
    question = bank.questions[qid]
    doc = docs[question.instrument]
    for s_index, section in enumerate(doc.data["sections"]):
        for q_index, entry in enumerate(section["questions"]):
            if entry["id"] == qid:
                raise doc.error(cut(message, 300),
                                ["sections", s_index, "questions", q_index, "show_if"], ident=qid)
    raise InputError(cut(message, 300), path=doc.path, ident=qid)


def _add_questions(bank: QuestionBank, doc: Document, instrument: str, catalog: Catalog) -> None:
    for s_index, section in enumerate(doc.data["sections"]):
        ids = []
        for q_index, entry in enumerate(section["questions"]):
            where = ["sections", s_index, "questions", q_index]
            qid = entry["id"]
            if not qid.startswith(instrument + "."):
                raise doc.error(f"question id must start with '{instrument}.'", where + ["id"],
                                ident=qid)
            if qid in bank.questions:
                raise doc.error("duplicate question id", where + ["id"], ident=qid)
            for o_index, ob in enumerate(entry.get("obligations", [])):
                if ob not in catalog.obligations and ob.split(".")[0] in catalog.declared:
                    hint = closest(ob, catalog.obligations)
                    raise doc.error(f"unknown obligation id '{ob}'"
                                    + (f" (did you mean: {', '.join(hint)}?)" if hint else ""),
                                    where + ["obligations", o_index], ident=qid)
            _check_narrows(doc, entry, where)
            for value, items in (entry.get("advisories") or {}).items():
                _check_unique_advisories(doc, items, [*where, "advisories", value])
            bank.questions[qid] = _question(entry, instrument, section)
            ids.append(qid)
        bank.sections.append(Section(section["id"], instrument, section["title"],
                                     section.get("intro"), tuple(ids)))
    for entry in doc.data.get("retired", []):
        bank.retired[entry["id"]] = entry["reason"]


def _check_narrows(doc: Document, entry: dict, where: list) -> None:
    from palermo.terms import TERMS

    spec = entry.get("narrows")
    if spec is None:
        return
    for term in [spec["term"]] if isinstance(spec["term"], str) else spec["term"]:
        if term not in TERMS:
            hint = closest(term, TERMS)
            raise doc.error(f"unknown defined term '{term}'"
                            + (f" (did you mean: {', '.join(hint)}?)" if hint else
                               f" (expected one of: {', '.join(TERMS)})"),
                            [*where, "narrows", "term"], ident=entry["id"])
    if "when" not in spec and entry["type"] != "yes_partly_no":
        raise doc.error("'narrows' needs a 'when' condition unless the question is "
                        "yes_partly_no (then: answered partly or no)", [*where, "narrows"],
                        ident=entry["id"])


def _add_rules(bank: QuestionBank, doc: Document, catalog: Catalog) -> None:
    for index, entry in enumerate(doc.data["rules"]):
        ob = entry["obligation"]
        where = ["rules", index, "obligation"]
        if ob not in catalog.obligations:
            if ob.split(".")[0] not in catalog.declared:
                continue  # a rule for an instrument this catalog does not carry
            hint = closest(ob, catalog.obligations)
            raise doc.error(f"unknown obligation id '{ob}'"
                            + (f" (did you mean: {', '.join(hint)}?)" if hint else ""), where)
        if ob in bank.rules:
            raise doc.error(f"a rule for this obligation is already defined in "
                            f"{bank.rules[ob].source}", where, ident=ob)
        cases = tuple(_case(doc, c, ["rules", index, "cases", c_index], ob)
                      for c_index, c in enumerate(entry["cases"]))
        bank.rules[ob] = Rule(ob, cases, doc.path, entry.get("combine", "first"))


def _advisories(items: list[dict]) -> tuple[AdvisorySpec, ...]:
    return tuple(AdvisorySpec(item["id"], item["priority"], item["text"].strip(),
                              tuple(" ".join(b.split()) for b in item["basis"]))
                 for item in items)


def _check_unique_advisories(doc: Document, items: list[dict], where: list) -> None:
    seen: set[str] = set()
    for a_index, item in enumerate(items):
        if item["id"] in seen:
            raise doc.error("duplicate advisory id here", [*where, a_index, "id"],
                            ident=item["id"])
        seen.add(item["id"])


def _case(doc: Document, entry: dict, where: list, obligation: str) -> Case:
    _check_unique_advisories(doc, entry.get("advisories", []), [*where, "advisories"])
    advisories = _advisories(entry.get("advisories", []))
    if entry.get("measure") and entry["status"] not in ("partially_met", "not_met"):
        raise doc.error("'measure' is a required measure: only for partially_met or not_met "
                        "(put a recommendation under 'advisories')", [*where, "measure"],
                        ident=obligation)
    when = entry.get("when")
    return Case(when, entry["status"], entry["finding"].strip(), entry.get("option"),
                (entry.get("measure") or "").strip() or None, advisories,
                tuple(qid for qid, _ in questions_in(when or {})))


def _check_atom(bank: QuestionBank, doc: Document, path: list, qid: str, atom: dict,
                before: set[str] | None) -> None:
    if qid not in bank.questions:
        hint = closest(qid, bank.questions)
        raise doc.error(f"condition names unknown question '{qid}'"
                        + (f" (did you mean: {', '.join(hint)}?)" if hint else ""), path)
    if before is not None and qid not in before:
        raise doc.error(f"show_if may only refer to questions asked earlier in this file, "
                        f"not '{qid}'", path)
    question = bank.questions[qid]
    if question.values:
        for value in compared_values(atom):
            if value not in question.values:
                raise doc.error(f"condition compares '{qid}' with '{value}', which is not one "
                                f"of its answers ({', '.join(question.values)})", path)


def _check_conditions(bank: QuestionBank, doc: Document) -> None:
    earlier: set[str] = set()
    for s_index, section in enumerate(doc.data["sections"]):
        for q_index, entry in enumerate(section["questions"]):
            if "show_if" in entry:
                path = ["sections", s_index, "questions", q_index, "show_if"]
                for qid, atom in questions_in(entry["show_if"]):
                    other = qid.split(".")[0] != doc.data["instrument"]
                    _check_atom(bank, doc, path, qid, atom, None if other else earlier)
            if "when" in entry.get("narrows", {}):
                path = ["sections", s_index, "questions", q_index, "narrows", "when"]
                for qid, atom in questions_in(entry["narrows"]["when"]):
                    _check_atom(bank, doc, path, qid, atom, None)
            earlier.add(entry["id"])
            q = bank.questions[entry["id"]]
            for key in ("findings", "advisories"):
                if getattr(q, key) and q.type != "yes_partly_no":
                    raise doc.error(f"'{key}' is only for yes_partly_no questions",
                                    ["sections", s_index, "questions", q_index, key],
                                    ident=q.id)
    for r_index, entry in enumerate(doc.data["rules"]):
        for c_index, case in enumerate(entry["cases"]):
            if "when" in case:
                path = ["rules", r_index, "cases", c_index, "when"]
                for qid, atom in questions_in(case["when"]):
                    _check_atom(bank, doc, path, qid, atom, None)
