"""The treaty texts and the catalog checked against them.

- The parser (palermo.treaty) splits each text into the right articles, paragraphs and
  subparagraphs, with the right ids, and loses no words.
- Coverage: every paragraph that obliges or permits ("shall", "may") is quoted by a catalog
  entry or listed, with a reason, in obligations/exclusions.yaml.
- Verbatim: every catalog `text` and `chapeau` is the treaty's own words, found inside the
  provision its id names.

A catalog file that does not exist yet fails the coverage test of its instrument, which then
lists every paragraph still to be catalogued or excluded.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from palermo.catalog import load_catalog
from palermo.errors import InputError
from palermo.treaty import (
    ARTICLE,
    LETTER,
    PARAGRAPH,
    ROMAN,
    Provision,
    Treaty,
    contains_verbatim,
    has_obligation_words,
    is_within,
    load_treaty,
    normalise,
    parse_treaty,
)
from palermo.yamlio import load_yaml

OBLIGATIONS = Path(__file__).resolve().parents[1] / "obligations"
SOURCES = OBLIGATIONS / "sources"
INSTRUMENTS = ("untoc", "tip", "som", "firearms")
SOURCE_FILES = {i.id: i.source for i in load_catalog(OBLIGATIONS).declared.values()}
ARTICLE_COUNTS = {"untoc": 41, "tip": 20, "som": 25, "firearms": 21}

# Words that oblige or commend without "shall" or "may" (SOM 18(1) "agrees to facilitate and
# accept", UNTOC 7(3) "are called upon", Firearms 15(2) "are encouraged"): such paragraphs
# need an entry or an exclusion too.
OTHER_OBLIGATION_WORDS = re.compile(
    r"\b(?:agrees? to|undertakes?|must|are (?:strongly )?encouraged|are called upon)\b",
    re.IGNORECASE,
)


@cache
def treaty(instrument: str) -> Treaty:
    return load_treaty(instrument, SOURCES)


@cache
def catalog(instrument: str) -> tuple[dict[str, Any], ...] | None:
    """The entries of obligations/<instrument>.yaml, or None while the file does not exist."""
    path = OBLIGATIONS / f"{instrument}.yaml"
    if not path.exists():
        return None
    data = load_yaml(path).data or {}
    return tuple(entry for entry in data.get("obligations") or [] if isinstance(entry, dict))


@cache
def exclusions() -> dict[str, str]:
    """Excluded id -> reason, from obligations/exclusions.yaml."""
    data = load_yaml(OBLIGATIONS / "exclusions.yaml").data
    return {entry["id"]: entry["reason"] for entry in data["exclusions"]}


def catalog_or_skip(instrument: str) -> tuple[dict[str, Any], ...]:
    entries = catalog(instrument)
    if entries is None:
        pytest.skip(f"obligations/{instrument}.yaml does not exist yet "
                    "(test_coverage lists what it must cover)")
    return entries


def excluded(ident: str) -> str | None:
    """The exclusion that leaves out a provision (itself or an enclosing article), if any."""
    return next((ex for ex in exclusions() if is_within(ident, ex)), None)


def needs_entry(unit: Provision) -> bool:
    text = unit.full_text
    return has_obligation_words(text) or OTHER_OBLIGATION_WORDS.search(text) is not None


def shown(provision: Provision) -> str:
    return f"{provision.id} ({provision.reference}): {normalise(provision.full_text)[:80]}"


def failure(title: str, lines: list[str]) -> str:
    return f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)


# --- the parser ---------------------------------------------------------------------------


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_article_count(instrument: str) -> None:
    articles = treaty(instrument).articles
    assert [a.article for a in articles] == list(range(1, ARTICLE_COUNTS[instrument] + 1))
    assert all(a.article_title for a in articles)


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_parser_loses_no_words(instrument: str) -> None:
    """Chapter headings, article headings and full texts rebuild the text after the preamble."""
    t = treaty(instrument)
    parts: list[str] = []
    chapter = None
    for article in t.articles:
        if article.chapter != chapter and article.chapter:
            parts.append(article.chapter)
        chapter = article.chapter
        parts += [article.label, article.article_title, article.full_text]
    body = t.normalised_text
    start = body.index(t.articles[0].chapter or "Article 1 ")
    end = body.index("IN WITNESS WHEREOF")
    assert normalise(" ".join(parts)) == body[start:end].strip()


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_header_and_preamble_are_not_provisions(instrument: str) -> None:
    t = treaty(instrument)
    assert t.title and not t.title.startswith(("Source:", "Note:"))
    assert "Source:" not in t.text and "Note:" not in t.text.splitlines()[0]
    assert t.provisions[0].id == f"{instrument}.1"
    for provision in t.provisions:
        assert "Have agreed as follows" not in provision.full_text
        assert not re.match(r"^[IV]+\. ", provision.text)
    assert len({p.id for p in t.provisions}) == len(t.provisions)


def test_spot_checks() -> None:
    p = treaty("untoc").find("untoc.5.1.a.i")
    assert p is not None and p.level == ROMAN and p.subparagraph == "a.i"
    assert p.text.startswith("Agreeing with one or more other persons to commit a serious crime")
    assert p.article_title == "Criminalization of participation in an organized criminal group"
    assert treaty("untoc").find("untoc.5.1.a").text.startswith("Either or both of the following")
    points = treaty("untoc").find("untoc.5.1.a.ii").children
    assert [c.label for c in points] == ["a.", "b."]
    assert points[0].text == "Criminal activities of the organized criminal group;"

    p = treaty("som").find("som.6.3")
    assert p is not None and p.level == PARAGRAPH and p.paragraph == 3
    assert p.text.startswith("Each State Party shall adopt such legislative and other measures "
                             "as may be necessary to establish as aggravating circumstances")
    assert p.full_text.endswith(
        "(a) That endanger, or are likely to endanger, the lives or safety of the migrants "
        "concerned; or (b) That entail inhuman or degrading treatment, including for "
        "exploitation, of such migrants.")

    p = treaty("tip").find("tip.6.5")
    assert p is not None and p.full_text == (
        "Each State Party shall endeavour to provide for the physical safety of victims of "
        "trafficking in persons while they are within its territory.")
    assert p.chapter == "II. Protection of victims of trafficking in persons"

    p = treaty("firearms").find("firearms.8.1.a")
    assert p is not None and p.level == LETTER
    assert p.text.startswith("At the time of manufacture of each firearm, either require unique "
                             "marking providing the name of the manufacturer")
    assert treaty("firearms").find("firearms.8.1").text == (
        "For the purpose of identifying and tracing each firearm, States Parties shall:")

    p = treaty("som").find("som.12.a")
    assert p is not None and p.paragraph is None and p.subparagraph == "a"
    assert p.text.startswith("To ensure that travel or identity documents issued by it are of "
                             "such quality that they cannot easily be misused")
    assert p.chapter == "III. Prevention, cooperation and other measures"


def test_units() -> None:
    som = treaty("som")
    units = [u.id for u in som.paragraphs()]
    assert "som.5" in units and "som.12" in units and "som.6.3" in units
    assert "som.6" not in units and "som.12.a" not in units
    assert som.find("som.5").level == ARTICLE
    assert som.unit_of("som.6.1.b.ii") is som.find("som.6.1")
    assert som.unit_of("som.12.b") is som.find("som.12")
    assert len(treaty("untoc").find("untoc.18").children) == 30


def test_letter_i_and_roman_i() -> None:
    """"(i)" after "(h)" is a ninth subparagraph; under a subparagraph it is an item."""
    untoc = treaty("untoc")
    for ident in ("untoc.2.i", "untoc.18.3.i", "untoc.29.1.i"):
        assert untoc.find(ident).level == LETTER, ident
    assert untoc.find("untoc.2.j").level == LETTER
    assert not untoc.find("untoc.18.3.h").children
    for ident in ("untoc.6.1.a.i", "untoc.15.2.c.ii", "untoc.31.2.d.iv", "untoc.26.1.a.iii"):
        assert untoc.find(ident).level == ROMAN, ident
    # "(a) (i) The conversion ..." is one line in the source: (a) opens with item (i).
    assert untoc.find("untoc.6.1.a").text == ""
    assert untoc.find("untoc.6.1.a.i").text.startswith("The conversion or transfer of property")
    assert treaty("som").find("som.3.c.iii").level == ROMAN
    assert treaty("firearms").find("firearms.3.d.iii").level == ROMAN


def test_closing_words_of_a_list() -> None:
    p = treaty("untoc").find("untoc.3.1")
    assert p.tail == "where the offence is transnational in nature and involves an organized " \
                     "criminal group."
    assert p.full_text.endswith("(b) Serious crime as defined in article 2 of this Convention; "
                                "where the offence is transnational in nature and involves an "
                                "organized criminal group.")
    d = treaty("firearms").find("firearms.3.d")
    assert d.tail.startswith("Licensing or authorization of the manufacture of parts")
    assert treaty("firearms").find("firearms.3.e").text.startswith("“Illicit trafficking”")


def test_find_unknown() -> None:
    som = treaty("som")
    assert som.find("som.6.5") is None
    assert som.find("som.6.1.d") is None
    assert som.find("som.26") is None
    assert "som.6.1.b.ii" in som


def test_normalise_and_contains_verbatim() -> None:
    assert normalise("  “Vessel”\n shall   mean ‘x’ … ") == "\"Vessel\" shall mean 'x' ..."
    som = treaty("som")
    assert contains_verbatim(som, '"Vessel" shall mean any type of water craft,\n including')
    assert contains_verbatim(som, "The smuggling of migrants;", within="som.6.1.a")
    assert not contains_verbatim(som, "The smuggling of migrants;", within="som.6.2")
    assert not contains_verbatim(som, "The smuggling of migrants.")
    assert not contains_verbatim(som, "   ")
    assert not contains_verbatim(som, "The smuggling of migrants;", within="som.6.9")


def test_parse_errors_are_located() -> None:
    text = "Source: x\n\nTitle\n\nArticle 1\n\nHeading\n\n1. Text:\n\n(a) one;\n\n(c) three.\n"
    with pytest.raises(InputError) as info:
        parse_treaty("som", text)
    assert info.value.line == 13 and "(c)" in info.value.message
    with pytest.raises(InputError):
        parse_treaty("som", "Title\n\nArticle 1\n\nHeading\n\nArticle 3\n\nHeading\n")
    with pytest.raises(KeyError):
        load_treaty("unknown", SOURCES)
    assert set(SOURCE_FILES) == set(INSTRUMENTS)


def test_has_obligation_words() -> None:
    assert has_obligation_words("Each State Party shall adopt")
    assert has_obligation_words("It May be inferred")
    assert not has_obligation_words("a maybe-shallow text; the mayor")


# --- exclusions ---------------------------------------------------------------------------


def test_exclusions_file() -> None:
    data = load_yaml(OBLIGATIONS / "exclusions.yaml").data
    problems = []
    seen: set[str] = set()
    for entry in data["exclusions"]:
        ident, reason = entry.get("id"), entry.get("reason")
        if set(entry) != {"id", "reason"} or not isinstance(reason, str) or not reason.strip():
            problems.append(f"{ident}: needs exactly an id and a non-empty reason")
        if ident in seen:
            problems.append(f"{ident}: listed twice")
        seen.add(ident)
        instrument = str(ident).split(".")[0]
        if instrument not in SOURCE_FILES:
            problems.append(f"{ident}: unknown instrument")
            continue
        provision = treaty(instrument).find(ident)
        if provision is None:
            problems.append(f"{ident}: no such article or paragraph in "
                            f"{SOURCE_FILES[instrument]}")
        elif provision.level not in (ARTICLE, PARAGRAPH):
            problems.append(f"{ident}: exclude whole paragraphs or articles, not subparagraphs")
    for ident in seen:
        outer = [ex for ex in seen if ex != ident and is_within(ident, ex)]
        if outer:
            problems.append(f"{ident}: already excluded by {outer[0]}")
    if problems:
        pytest.fail(failure("Problems in obligations/exclusions.yaml", problems))


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_excluded_ids_are_not_catalogued(instrument: str) -> None:
    entries = catalog_or_skip(instrument)
    clashes = []
    for entry in entries:
        ident = str(entry.get("id"))
        for ex in exclusions():
            if is_within(ident, ex) or is_within(ex, ident):
                clashes.append(f"{ident} is in {instrument}.yaml and {ex} in exclusions.yaml")
    if clashes:
        pytest.fail(failure("Ids both catalogued and excluded", clashes))


# --- the catalog against the treaty -------------------------------------------------------


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_coverage(instrument: str) -> None:
    """Every paragraph with "shall" or "may" has a catalog entry (or one under it) or an
    exclusion."""
    entries = catalog(instrument)
    ids = [str(entry.get("id")) for entry in entries or ()]
    missing = [
        shown(unit) for unit in treaty(instrument).paragraphs()
        if needs_entry(unit)
        and excluded(unit.id) is None
        and not any(is_within(ident, unit.id) for ident in ids)
    ]
    if entries is None:
        pytest.fail(failure(f"obligations/{instrument}.yaml does not exist; paragraphs that "
                            "need an entry or an exclusion", missing))
    if missing:
        pytest.fail(failure(
            f"Paragraphs of {SOURCE_FILES[instrument]} with no entry in {instrument}.yaml and no "
            "exclusion in exclusions.yaml", missing))


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_split_paragraphs_are_complete(instrument: str) -> None:
    """A paragraph catalogued by its subparagraphs has an entry for each of them."""
    t = treaty(instrument)
    ids = [str(entry.get("id")) for entry in catalog_or_skip(instrument)]
    missing: dict[str, str] = {}
    for ident in ids:
        provision, unit = t.find(ident), t.unit_of(ident)
        if provision is None or unit is None:
            continue
        parent_id = ident
        while parent_id != unit.id:
            parent_id = parent_id.rsplit(".", 1)[0]
            for child in t.find(parent_id).children:
                covered = any(is_within(i, child.id) or is_within(child.id, i) for i in ids)
                if not covered and excluded(child.id) is None:
                    missing.setdefault(child.id, f"{shown(child)} [{parent_id} is split]")
    if missing:
        pytest.fail(failure(
            f"Subparagraphs left out of a paragraph that {instrument}.yaml splits",
            list(missing.values())))


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_catalog_ids_name_real_provisions(instrument: str) -> None:
    t = treaty(instrument)
    unknown = [str(entry.get("id")) for entry in catalog_or_skip(instrument)
               if t.find(str(entry.get("id"))) is None]
    if unknown:
        pytest.fail(failure(
            f"Ids in {instrument}.yaml that name no provision of {SOURCE_FILES[instrument]}",
            unknown))


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_catalog_quotes_are_verbatim(instrument: str) -> None:
    """`text` is inside the provision its id names; `chapeau` inside the same paragraph."""
    t = treaty(instrument)
    offending = []
    for entry in catalog_or_skip(instrument):
        ident = str(entry.get("id"))
        provision, unit = t.find(ident), t.unit_of(ident)
        for key, scope in (("text", provision), ("chapeau", unit)):
            quoted = entry.get(key)
            if quoted is None and key == "chapeau":
                continue
            if not isinstance(quoted, str) or not contains_verbatim(t, quoted):
                offending.append(f"{ident}: {key} is not in {SOURCE_FILES[instrument]}: "
                                 f"{normalise(str(quoted))[:80]}")
            elif scope is not None and not contains_verbatim(t, quoted, within=scope.id):
                offending.append(f"{ident}: {key} is in the treaty but not in {scope.id} "
                                 f"({scope.reference}): {normalise(quoted)[:80]}")
    if offending:
        pytest.fail(failure(f"Quotations in {instrument}.yaml that are not verbatim",
                            offending))


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_catalog_article_titles(instrument: str) -> None:
    t = treaty(instrument)
    wrong = []
    for entry in catalog_or_skip(instrument):
        ident = str(entry.get("id"))
        article = t.find(".".join(ident.split(".")[:2]))
        title = entry.get("article_title")
        if article is not None and normalise(str(title)) != normalise(article.article_title):
            wrong.append(f"{ident}: article_title {title!r}, treaty: {article.article_title!r}")
    if wrong:
        pytest.fail(failure(
            f"Article titles in {instrument}.yaml that differ from the treaty", wrong))
