"""Checks across files: answers against questions, catalog against its sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from palermo.answers import AnswersFile, check_answers
from palermo.errors import InputError
from palermo.scope import AnswerState, scope_of
from palermo.workspace import Workspace


@dataclass
class AnswersReport:
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # shown questions without an answer


def validate_answers(ws: Workspace, answers: AnswersFile) -> AnswersReport:
    """Errors that make the file unusable, and notes a user should see (catalog moved on)."""
    report = AnswersReport(errors=check_answers(answers, ws.bank))
    for instrument in answers.instruments:
        if instrument not in ws.catalog.titles:
            report.errors.append(InputError(
                f"instrument '{instrument}' is not in the catalog (expected one of: "
                f"{', '.join(ws.catalog.instruments)})", path=answers.path))
    party_error = check_party_status(answers)
    if party_error is not None:
        report.errors.append(party_error)
    if report.errors:
        return report
    for qid in answers.answers:
        if qid in ws.bank.retired:
            report.notes.append(f"{answers.path}: {qid}: answer kept, but the question was "
                                f"retired and no longer counts: {ws.bank.retired[qid]}")
    scope = scope_of(ws.catalog, ws.bank, answers.instruments)
    state = AnswerState(scope, ws.bank, answers)
    report.waiting = [q.id for q in state.shown() if q.id not in answers.answers]
    made_with = answers.catalog_version
    if made_with and made_with != ws.catalog.version:
        report.notes.append(
            f"{answers.path}: answers were made with catalog {made_with}; the catalog is now "
            f"{ws.catalog.version}. {len(report.waiting)} question(s) wait for an answer"
            + (f": {', '.join(report.waiting)}" if report.waiting else "") + ".")
    return report


PROTOCOLS = ("tip", "som", "firearms")


def check_party_status(answers: AnswersFile) -> InputError | None:
    """UNTOC art. 37(2): "In order to become a Party to a protocol, a State ... must also be a
    Party to this Convention". A Protocol party that is not a Convention party would mark the
    Convention's obligations, those on the Protocol offences included, as not binding."""
    convention = answers.party("untoc")
    if convention == "party":
        return None
    protocols = [p for p in PROTOCOLS if p in answers.party_status
                 and answers.party_status[p] == "party"]
    if not protocols:
        return None
    line = column = None
    if answers.document is not None:
        line, column = answers.document.locate(["party_status", "untoc"], at_key=True)
    names = " and ".join(protocols)
    verb = "is" if len(protocols) == 1 else "are"
    return InputError(
        f"party_status: {names} {verb} 'party' but untoc is '{convention}'; a State must be a "
        "Party to the Convention to be a Party to a Protocol (UNTOC art. 37(2)): set untoc to "
        f"party, or {names} to signatory or not_party", path=answers.path, line=line,
        column=column)


@dataclass
class CatalogReport:
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate_catalog(ws: Workspace) -> CatalogReport:
    """Treaty text quoted verbatim, and every obligation reachable from some question."""
    from palermo.treaty import contains_verbatim, load_treaty

    report = CatalogReport()
    sources = ws.catalog.directory / "sources"
    treaties = {}
    for instrument in ws.catalog.instruments:
        try:
            treaties[instrument] = load_treaty(instrument, sources)
        except (OSError, KeyError):
            report.warnings.append(f"{sources}: no source text for '{instrument}'; "
                                   "quotations not checked")
    report.warnings.extend(_uncovered(ws, treaties))
    for ob in ws.catalog.obligations.values():
        treaty = treaties.get(ob.instrument)
        path = str(ws.catalog.directory / f"{ob.instrument}.yaml")
        if treaty is not None:
            for name, text in (("text", ob.text), ("chapeau", ob.chapeau)):
                if text and not contains_verbatim(treaty, text):
                    report.errors.append(InputError(
                        f"{name} is not found verbatim in {treaty.path.name} "
                        "(copy the treaty's words exactly)", path=path, ident=ob.id))
        if ob.id not in ws.bank.rules and not ws.bank.informing(ob.id):
            report.warnings.append(f"{path}: {ob.id}: no question or rule assesses this "
                                   "obligation; it will always be 'not assessed'")
    return report


def _uncovered(ws: Workspace, treaties: dict) -> list[str]:
    """Paragraphs that say "shall" or "may" with neither a catalog entry nor an exclusion."""
    from palermo.treaty import has_obligation_words, is_within
    from palermo.yamlio import load_yaml

    path = ws.catalog.directory / "exclusions.yaml"
    excluded = ([entry["id"] for entry in (load_yaml(path).data or {}).get("exclusions", [])]
                if path.exists() else [])
    ids = list(ws.catalog.obligations)
    warnings = []
    for instrument, treaty in treaties.items():
        for unit in treaty.paragraphs():
            if not has_obligation_words(unit.full_text):
                continue
            if any(is_within(unit.id, ex) for ex in excluded):
                continue
            if not any(is_within(ident, unit.id) for ident in ids):
                warnings.append(f"{ws.catalog.directory / (instrument + '.yaml')}: {unit.id}: "
                                f"{unit.reference} says \"shall\" or \"may\" but has no entry "
                                "(add one, or list it in exclusions.yaml with a reason)")
    return warnings
