"""The obligation catalog: load, validate and look up obligations of every instrument."""

from pathlib import Path
from typing import NamedTuple

from palermo.errors import InputError, UnknownIdError
from palermo.model import Instrument, Obligation
from palermo.resources import bundled
from palermo.schemacheck import check_schema
from palermo.yamlio import Document, load_yaml


class Catalog(NamedTuple):
    """Every obligation of the instruments in one catalog folder, in treaty order."""

    directory: Path
    version: str
    declared: dict[str, Instrument]  # catalog.yaml order
    obligations: dict[str, Obligation]

    @property
    def instruments(self) -> list[str]:
        """Instrument ids in catalog order (a convention before the protocols supplementing it)."""
        return list(self.declared)

    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument's declaration: `catalog.instrument("som").short_title`."""
        try:
            return self.declared[instrument_id]
        except KeyError:
            raise UnknownIdError("instrument", instrument_id, self.declared) from None

    def get(self, obligation_id: str) -> Obligation:
        try:
            return self.obligations[obligation_id]
        except KeyError:
            raise UnknownIdError("obligation", obligation_id, self.obligations) from None


def _obligation(entry: dict, instrument: str) -> Obligation:
    return Obligation(
        id=entry["id"], instrument=instrument, article=entry["article"],
        paragraph=entry.get("paragraph"), subparagraph=entry.get("subparagraph"),
        article_title=entry["article_title"], text=" ".join(entry["text"].split()),
        summary=entry["summary"].strip(), strength=entry["strength"],
        category=entry["category"], recommended_measures=entry["recommended_measures"].strip(),
        chapeau=" ".join(entry["chapeau"].split()) if entry.get("chapeau") else None,
        strength_note=entry.get("strength_note"), elements=entry.get("elements") or {},
        options=tuple(entry.get("options") or ()), notification=entry.get("notification"),
        applies_to_protocol_offences=bool(entry.get("applies_to_protocol_offences")),
        references=entry.get("references") or {},
        terms=tuple(entry.get("terms") or ()),
    )


def _check_id_matches_position(doc: Document, index: int, entry: dict, instrument: str) -> None:
    """The id must spell the article, paragraph and subparagraph the entry claims."""
    parts = [instrument, str(entry["article"])]
    if entry.get("paragraph") is not None:
        parts.append(str(entry["paragraph"]))
    if entry.get("subparagraph"):
        parts.extend(entry["subparagraph"].split("."))
    expected = ".".join(parts)
    if entry["id"] != expected:
        raise doc.error(
            f"id does not match article/paragraph/subparagraph (expected '{expected}')",
            ["obligations", index, "id"], ident=entry["id"],
        )


def load_instrument(path: Path) -> tuple[dict, list[Obligation]]:
    """One instrument's catalog file, schema-checked, ids checked and unique."""
    doc = load_yaml(path, aliases=True)
    check_schema(doc, "obligations")
    data = doc.data
    instrument = data["instrument"]
    if path.stem != instrument:
        raise doc.error(f"instrument '{instrument}' does not match the file name "
                        f"(expected '{path.stem}')", ["instrument"])
    seen: dict[str, int] = {}
    obligations = []
    for index, entry in enumerate(data["obligations"]):
        if not entry["id"].startswith(instrument + "."):
            raise doc.error(f"id must start with '{instrument}.'", ["obligations", index, "id"],
                            ident=entry["id"])
        if entry["id"] in seen:
            line, _ = doc.locate(["obligations", seen[entry["id"]]])
            raise doc.error(f"duplicate obligation id (first at line {line})",
                            ["obligations", index, "id"], ident=entry["id"])
        seen[entry["id"]] = index
        _check_id_matches_position(doc, index, entry, instrument)
        if entry["category"] == "notification" and not entry.get("notification"):
            raise doc.error("a notification obligation needs a 'notification' block "
                            "(to, what, when)", ["obligations", index], ident=entry["id"])
        _check_terms(doc, index, entry)
        obligations.append(_obligation(entry, instrument))
    return data, obligations


def _declarations(manifest: Document) -> list[tuple[Instrument, bool]]:
    """The instruments catalog.yaml declares, cross-checked: unique ids, protocols that
    supplement a convention declared before them.

    A manifest that only lists ids (catalog 1.0.0) takes titles and source from each
    instrument's file; its first instrument is the convention, the others its protocols.
    """
    entries = manifest.data["instruments"]
    declared: list[Instrument] = []
    legacy: list[bool] = []
    seen: dict[str, int] = {}
    first = entries[0] if isinstance(entries[0], str) else entries[0]["id"]
    for index, entry in enumerate(entries):
        where = ["instruments", index]
        if isinstance(entry, str):
            entry = {"id": entry, "kind": "convention" if index == 0 else "protocol",
                     **({} if index == 0 else {"supplements": first})}
        legacy.append(isinstance(manifest.data["instruments"][index], str))
        ident = entry["id"]
        if ident in seen:
            raise manifest.error(f"instrument '{ident}' is declared twice (first as item "
                                 f"{seen[ident] + 1})", where)
        seen[ident] = index
        supplements = entry.get("supplements")
        if entry["kind"] == "protocol":
            if supplements is None:
                raise manifest.error(f"protocol '{ident}' needs 'supplements': the id of the "
                                     "convention it supplements", where)
            parent = next((i for i in declared if i.id == supplements), None)
            if parent is None or parent.kind != "convention":
                conventions = [i.id for i in declared if i.kind == "convention"]
                raise manifest.error(
                    f"'{ident}' supplements '{supplements}', which is not a convention "
                    "declared before it (expected one of: "
                    f"{', '.join(conventions) or 'none declared'})", where + ["supplements"])
        elif supplements is not None:
            raise manifest.error(f"convention '{ident}' cannot supplement another instrument "
                                 "(only a protocol does)", where + ["supplements"])
        declared.append(Instrument(
            id=ident, kind=entry["kind"], title=" ".join(entry.get("title", ident).split()),
            short_title=" ".join(entry.get("short_title", ident).split()),
            source=entry.get("source"), supplements=supplements,
            abbreviation=entry.get("abbreviation")))
    return list(zip(declared, legacy, strict=True))


def _from_file(declared: Instrument, legacy: bool, data: dict, path: Path) -> Instrument:
    """Titles a catalog 1.0.0 instrument file carries; a newer file must agree or omit them."""
    fields = {"title": declared.title, "short_title": declared.short_title,
              "source": declared.source}
    for name, value in fields.items():
        given = data.get(name)
        if given is None:
            continue
        given = " ".join(str(given).split())
        if legacy:
            fields[name] = given
        elif value is not None and given != value:
            raise InputError(f"{name} '{given}' differs from the one catalog.yaml declares "
                             f"('{value}'); declare it once, in catalog.yaml",
                             path=str(path))
    return Instrument(declared.id, declared.kind, fields["title"] or declared.id,
                      fields["short_title"] or declared.id, fields["source"],
                      declared.supplements, declared.abbreviation)


def _check_terms(doc: Document, index: int, entry: dict) -> None:
    from palermo.errors import closest
    from palermo.terms import TERMS

    for t_index, term in enumerate(entry.get("terms") or ()):
        if term not in TERMS:
            hint = closest(term, TERMS)
            raise doc.error(f"unknown defined term '{term}'"
                            + (f" (did you mean: {', '.join(hint)}?)" if hint else
                               f" (expected one of: {', '.join(TERMS)})"),
                            ["obligations", index, "terms", t_index], ident=entry["id"])


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load and validate every instrument file listed in the folder's catalog.yaml."""
    folder = Path(directory) if directory is not None else bundled("obligations")
    if not folder.is_dir():
        raise InputError("catalog folder not found (expected a folder with catalog.yaml)",
                         path=str(folder))
    manifest = load_yaml(folder / "catalog.yaml", aliases=True)
    check_schema(manifest, "catalog")
    catalog = Catalog(folder, manifest.data["version"], {}, {})
    for index, (declared, legacy) in enumerate(_declarations(manifest)):
        path = folder / f"{declared.id}.yaml"
        if not path.exists():
            raise manifest.error(f"instrument '{declared.id}' is declared but {path.name} is "
                                 "missing", ["instruments", index])
        data, obligations = load_instrument(path)
        catalog.declared[declared.id] = _from_file(declared, legacy, data, path)
        for ob in obligations:  # file order is treaty order: maintainers keep it so
            catalog.obligations[ob.id] = ob
    _check_references(catalog)
    return catalog


def _check_references(catalog: Catalog) -> None:
    for ob in catalog.obligations.values():
        for ref in ob.references.get("obligations", []):
            if ref.split(".")[0] in catalog.declared and ref not in catalog.obligations:
                raise InputError(f"references unknown obligation '{ref}'",
                                 path=str(catalog.directory / f"{ob.instrument}.yaml"), ident=ob.id)
