"""Checks across files: answers against questions, catalog against its sources."""

from pathlib import Path
from typing import NamedTuple

from palermo.answers import AnswersFile, check_answers
from palermo.catalog import Catalog
from palermo.errors import InputError
from palermo.scope import AnswerState, scope_of
from palermo.signoff import check_assignments
from palermo.workspace import Workspace


class AnswersReport(NamedTuple):
    """What checking an answers file found: errors, notes and the questions still waiting."""

    errors: list[InputError]
    notes: list[str]
    waiting: list[str]  # shown questions without an answer
    # waiting questions first asked after the catalog version the answers were made with
    new_questions: list[str]


def validate_answers(ws: Workspace, answers: AnswersFile) -> AnswersReport:
    """Errors that make the file unusable, and notes a user should see (catalog moved on)."""
    errors = check_answers(answers, ws.bank)
    errors.extend(_unknown_instruments(ws, answers))
    errors.extend(check_party_status(answers, ws.catalog))
    notes: list[str] = []
    if errors:
        return AnswersReport(errors, notes, [], [])
    for qid in answers.answers:
        if qid in ws.bank.retired:
            notes.append(f"{answers.path}: {qid}: answer kept, but the question was "
                         f"retired and no longer counts: {ws.bank.retired[qid]}")
    scope = scope_of(ws.catalog, ws.bank, answers.instruments)
    errors.extend(check_assignments(answers, scope))
    if errors:
        return AnswersReport(errors, notes, [], [])
    state = AnswerState(scope, ws.bank, answers)
    waiting = [q.id for q in state.shown() if q.id not in answers.answers]
    new_questions: list[str] = []
    made_with = answers.catalog_version
    if made_with and made_with != ws.catalog.version:
        new_questions = [q for q in waiting if _newer(ws.bank.questions[q].since, made_with)]
        notes.append(_moved_on(answers.path, made_with, ws.catalog.version, waiting,
                               new_questions))
    return AnswersReport(errors, notes, waiting, new_questions)


def _version_key(version: str | None) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in (version or "").split("."))
    except ValueError:
        return None


def _newer(since: str | None, made_with: str) -> bool:
    first, then = _version_key(since), _version_key(made_with)
    return first is not None and then is not None and first > then


def _moved_on(path: str | None, made_with: str, now: str, waiting: list[str],
              new: list[str]) -> str:
    """The note for an answers file made with an earlier catalog: what waits, new first."""
    text = f"{path}: answers were made with catalog {made_with}; the catalog is now {now}."
    if new:
        text += (f" {len(new)} question(s) added since {made_with} wait for an answer: "
                 f"{', '.join(new)}.")
    others = [q for q in waiting if q not in new]
    if others:
        text += (f" {len(others)} {'other ' if new else ''}question(s) wait for an answer: "
                 f"{', '.join(others)}.")
    if not waiting:
        text += " No question waits for an answer."
    return text


def check_party_status(answers: AnswersFile, catalog: Catalog) -> list[InputError]:
    """UNTOC art. 37(2): "In order to become a Party to a protocol, a State ... must also be a
    Party to this Convention". A Protocol party that is not a Convention party would mark the
    Convention's obligations, those on the Protocol offences included, as not binding.

    Which instrument is a protocol of which convention is what catalog.yaml declares."""
    errors = []
    for convention in (i for i in catalog.declared.values() if i.kind == "convention"):
        status = answers.party(convention.id)
        if status == "party":
            continue
        protocols = [i.id for i in catalog.declared.values()
                     if i.supplements == convention.id
                     and answers.party_status.get(i.id) == "party"]
        if not protocols:
            continue
        line = column = None
        if answers.document is not None:
            line, column = answers.document.locate(["party_status", convention.id],
                                                   at_key=True)
        names = " and ".join(protocols)
        verb = "is" if len(protocols) == 1 else "are"
        errors.append(InputError(
            f"party_status: {names} {verb} 'party' but {convention.id} is '{status}'; a State "
            f"must be a Party to the Convention to be a Party to a Protocol (UNTOC art. "
            f"37(2)): set {convention.id} to party, or {names} to signatory or not_party",
            path=answers.path, line=line, column=column))
    return errors


def _unknown_instruments(ws: Workspace, answers: AnswersFile) -> list[InputError]:
    """Instruments and party statuses the catalog does not declare, located in the file."""
    known = ", ".join(ws.catalog.instruments)
    found = []
    where: list[tuple[str, list[str | int], bool]] = [
        (code, ["instruments", index], False) for index, code in enumerate(answers.instruments)]
    where += [(code, ["party_status", code], True) for code in answers.party_status]
    for code, path, at_key in where:
        if code in ws.catalog.declared:
            continue
        message = (f"{'party_status: ' if at_key else ''}instrument '{code}' is not in the "
                   f"catalog (expected one of: {known})")
        doc = answers.document
        found.append(doc.error(message, path, at_key=at_key) if doc is not None
                     else InputError(message, path=answers.path))
    return found


class CatalogReport(NamedTuple):
    """What checking a catalog against its treaty texts found: errors and warnings."""

    errors: list[InputError]
    warnings: list[str]


def validate_catalog(ws: Workspace) -> CatalogReport:
    """Treaty text quoted verbatim, and every obligation reachable from some question."""
    from palermo.treaty import contains_verbatim, load_treaty

    report = CatalogReport([], [])
    sources = ws.catalog.directory / "sources"
    treaties = {}
    for instrument in ws.catalog.declared.values():
        if instrument.source is None:
            report.warnings.append(f"{ws.catalog.directory / 'catalog.yaml'}: {instrument.id}: "
                                   "no source text declared; quotations not checked")
            continue
        try:
            treaties[instrument.id] = load_treaty(instrument.id, sources, instrument.source)
        except OSError:
            report.warnings.append(f"{sources}: no source text for '{instrument.id}' "
                                   f"({instrument.source}); quotations not checked")
    report.warnings.extend(_uncovered(ws, treaties))
    report.warnings.extend(_undeclared_asked_for(ws))
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


def _undeclared_asked_for(ws: Workspace) -> list[str]:
    """`asked_for` naming an instrument the catalog does not declare: a typo, or a catalog
    that leaves out an instrument the bundled questionnaires know."""
    warnings = []
    for question in ws.bank.questions.values():
        for code in question.asked_for:
            if code not in ws.catalog.declared:
                warnings.append(f"{ws.bank.directory / (question.instrument + '.yaml')}: "
                                f"{question.id}: asked_for names '{code}', which the catalog "
                                f"does not declare (declared: {', '.join(ws.catalog.instruments)})")
    return warnings


def load_exclusions(path: Path) -> list[dict]:
    """The entries of an exclusions.yaml, checked against their schema."""
    from palermo.schemacheck import check_schema
    from palermo.yamlio import load_yaml

    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error("expected a mapping with 'exclusions', a list of entries with id and "
                        "reason")
    check_schema(doc, "exclusions")
    return list(doc.data["exclusions"])


def _uncovered(ws: Workspace, treaties: dict) -> list[str]:
    """Paragraphs that say "shall" or "may" with neither a catalog entry nor an exclusion."""
    from palermo.treaty import has_obligation_words, is_within

    path = ws.catalog.directory / "exclusions.yaml"
    excluded = [entry["id"] for entry in load_exclusions(path)] if path.exists() else []
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
