"""The treaty texts in obligations/sources/, split into articles, paragraphs and subparagraphs.

The catalog quotes the treaties word for word. This module reads a source text once, line by
line, and gives every provision its palermo id, so that a catalog entry can be checked against
the words of the provision its id names:

    untoc.5             article 5
    untoc.5.1           article 5, paragraph 1
    untoc.5.1.a         paragraph 1, subparagraph (a)
    untoc.5.1.a.ii      subparagraph (a), item (ii)
    untoc.5.1.a.ii.b    item (ii), point "b." (only UNTOC 5(1)(a)(ii) has such points; catalog
                        ids stop at the roman level)
    som.12.a            subparagraph (a) of an article without numbered paragraphs

The source files are the authentic English texts with one paragraph or subparagraph a line:
a "Source:"/"Note:" header, the title, a preamble (Protocols only), chapter headings such as
"II. Prevention", and for each article the lines "Article N", its title, then its text. A
paragraph starts with "1. ", a subparagraph with "(a) ", an item with "(i) " and a point with
"a. ". "(i)" after "(h)" is the ninth subparagraph, under a subparagraph it is an item; the
next labelled line decides when both readings fit. An unlabelled line after a list of
subparagraphs closes that list (UNTOC 3(1): "where the offence is transnational ...") and
belongs to the provision that holds the list.

Only the standard library and palermo.errors are imported: `palermo catalog validate` uses
this module on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from palermo.errors import InputError
from palermo.model import format_reference

ROMANS: tuple[str, ...] = (
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
)

# Levels of a provision, outermost first.
ARTICLE, PARAGRAPH, LETTER, ROMAN, POINT = "article", "paragraph", "letter", "roman", "point"

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_OBLIGATION_WORDS = re.compile(r"\b(?:shall|may)\b", re.IGNORECASE)

_HEADER = re.compile(r"^(?:Source|Note):")
_ARTICLE = re.compile(r"^Article\s+(\d+)$")
_CHAPTER = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_PARAGRAPH = re.compile(r"^(\d+)\.\s+(.*)$")
_PAREN_LABEL = re.compile(r"^\(([a-z]{1,5})\)\s*(.*)$")
_POINT = re.compile(r"^([a-z])\.\s+(.*)$")
_CLOSING = re.compile(r"^IN WITNESS WHEREOF\b")


def normalise(text: str) -> str:
    """Text as the verbatim checks compare it: white space collapsed, quotes straightened.

    Curly quotes become straight ones and the ellipsis character becomes three full stops;
    nothing else changes (case, punctuation and hyphens stay as they are).
    """
    return " ".join(text.translate(_QUOTES).replace("\u2026", "...").split())


def has_obligation_words(text: str) -> bool:
    """Whether a text contains "shall" or "may" as words (the coverage test's trigger)."""
    return _OBLIGATION_WORDS.search(text) is not None


def is_within(ident: str, ancestor: str) -> bool:
    """Whether an id is `ancestor` itself or a provision inside it ('som.6.1.a' in 'som.6')."""
    return ident == ancestor or ident.startswith(ancestor + ".")


@dataclass
class Provision:
    """An article, paragraph, subparagraph, item or point of a treaty, in document order.

    `text` holds the provision's own words without its label: for a paragraph with
    subparagraphs that is its opening words (the chapeau). `tail` holds words that close its
    list of subparagraphs, if any. `full_text` is the whole provision as the treaty prints it:
    own words, each subparagraph with its label, then the tail.
    """

    id: str
    instrument: str
    level: str                      # article | paragraph | letter | roman | point
    label: str                      # as printed: "Article 5", "1.", "(a)", "(ii)", "a."
    article: int
    paragraph: int | None
    subparagraph: str | None        # None, "a", "a.ii", "a.ii.b"
    article_title: str
    chapter: str | None             # "II. Prevention", or None (UNTOC has no chapters)
    line: int                       # 1-based line of the label in the source file
    text: str = ""
    tail: str = ""
    children: list[Provision] = field(default_factory=list, repr=False)
    _full: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def full_text(self) -> str:
        """Own words, subparagraphs with their labels, and closing words, on one line."""
        if self._full is None:
            parts = [self.text]
            parts.extend(f"{child.label} {child.full_text}" for child in self.children)
            parts.append(self.tail)
            self._full = " ".join(part for part in parts if part)
        return self._full

    @property
    def reference(self) -> str:
        """The reference as lawyers write it: 'art. 5(1)(a)(ii)'."""
        return format_reference(self.article, self.paragraph, self.subparagraph)


@dataclass
class Treaty:
    """One instrument's text: its articles and every provision inside them."""

    instrument: str
    title: str
    path: Path
    text: str                                   # everything after the Source/Note header
    provisions: list[Provision]                 # document order, articles included
    _by_id: dict[str, Provision] = field(default_factory=dict, init=False, repr=False)
    _normalised: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.provisions}

    @property
    def articles(self) -> list[Provision]:
        return [p for p in self.provisions if p.level == ARTICLE]

    @property
    def normalised_text(self) -> str:
        if self._normalised is None:
            self._normalised = normalise(self.text)
        return self._normalised

    def find(self, ident: str) -> Provision | None:
        """The provision an id names, or None if the treaty has no such provision."""
        return self._by_id.get(ident)

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id

    def paragraphs(self) -> list[Provision]:
        """The units checked for coverage, in document order.

        Each numbered paragraph (its `full_text` includes its subparagraphs); for an article
        without numbered paragraphs, the article itself.
        """
        units: list[Provision] = []
        for article in self.articles:
            numbered = [c for c in article.children if c.level == PARAGRAPH]
            units.extend(numbered or [article])
        return units

    def unit_of(self, ident: str) -> Provision | None:
        """The coverage unit (numbered paragraph or paragraph-less article) holding an id."""
        for unit in self.paragraphs():
            if is_within(ident, unit.id):
                return unit
        return None


def contains_verbatim(treaty: Treaty, text: str, within: str | None = None) -> bool:
    """Whether `text` occurs word for word (after `normalise`) in the treaty.

    With `within`, the text must occur inside that provision (its `full_text`); an unknown
    id gives False. Empty text is never verbatim.
    """
    needle = normalise(text)
    if not needle:
        return False
    if within is None:
        return needle in treaty.normalised_text
    provision = treaty.find(within)
    return provision is not None and needle in normalise(provision.full_text)


def load_treaty(instrument: str, sources_dir: Path, source: str | None = None) -> Treaty:
    """Read and split the source text of an instrument.

    `source` is the file name the catalog declares for it (`catalog.instrument(id).source`);
    without it, the declaration is read from the catalog folder that holds `sources_dir`.
    Raises KeyError for an instrument with no declared source text, OSError
    (FileNotFoundError) when the file cannot be read, and InputError, located at a line,
    when the text is not laid out as the module docstring describes.
    """
    if source is None:
        from palermo.catalog import load_catalog

        declared = load_catalog(Path(sources_dir).parent).declared
        if instrument not in declared or declared[instrument].source is None:
            raise KeyError(f"no source text declared for instrument '{instrument}' "
                           f"(declared: {', '.join(i for i in declared if declared[i].source)})")
        source = declared[instrument].source
    path = Path(sources_dir) / str(source)
    raw = path.read_bytes()
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    return parse_treaty(instrument, source, path=path)


def _next_letter(letter: str | None) -> str:
    return "a" if letter is None else chr(ord(letter) + 1)


def _next_roman(roman: str | None) -> str | None:
    if roman is None:
        return "i"
    index = ROMANS.index(roman) + 1
    return ROMANS[index] if index < len(ROMANS) else None


def _next_label(lookahead: list[str]) -> str | None:
    """The key of the next "(x)" label, or None if a paragraph or article comes first."""
    for text in lookahead:
        if match := _PAREN_LABEL.match(text):
            return match.group(1)
        if _PARAGRAPH.match(text) or _ARTICLE.match(text):
            return None
    return None


class _Parser:
    """One pass over the lines of a source text."""

    def __init__(self, instrument: str, path: str) -> None:
        self.instrument = instrument
        self.path = path
        self.provisions: list[Provision] = []
        self.chapter: str | None = None
        self.article: Provision | None = None
        self.awaiting_title = False
        # Open provisions at each level below the article (None when closed).
        self.paragraph: Provision | None = None
        self.letter: Provision | None = None
        self.roman: Provision | None = None
        self.point: Provision | None = None
        self.last: Provision | None = None          # the provision created last

    def error(self, message: str, line: int) -> InputError:
        return InputError(message, path=self.path, line=line)

    # -- structure -------------------------------------------------------------------------

    @property
    def current(self) -> Provision:
        """The open article (body lines only come after an "Article N" line)."""
        if self.article is None:
            raise RuntimeError("no article is open")
        return self.article

    def container(self) -> Provision:
        """Where the next subparagraph "(a)" goes: the open paragraph, else the article."""
        return self.paragraph or self.current

    def add(self, parent: Provision, level: str, label: str, key: str, line: int,
            text: str) -> Provision:
        article = self.current
        paragraph = self.paragraph.paragraph if self.paragraph else None
        if level == PARAGRAPH:
            paragraph = int(key)
        sub_parts = [] if parent.subparagraph is None else parent.subparagraph.split(".")
        subparagraph = ".".join([*sub_parts, key]) if level in (LETTER, ROMAN, POINT) else None
        provision = Provision(
            id=f"{parent.id}.{key}", instrument=self.instrument, level=level, label=label,
            article=article.article, paragraph=paragraph, subparagraph=subparagraph,
            article_title=article.article_title, chapter=self.chapter, line=line, text=text,
        )
        parent.children.append(provision)
        self.provisions.append(provision)
        self.last = provision
        return provision

    def start_article(self, number: int, line: int) -> None:
        expected = 1 if self.article is None else self.article.article + 1
        if number != expected:
            raise self.error(f"Article {number} follows article {expected - 1}", line)
        self.article = Provision(
            id=f"{self.instrument}.{number}", instrument=self.instrument, level=ARTICLE,
            label=f"Article {number}", article=number, paragraph=None, subparagraph=None,
            article_title="", chapter=self.chapter, line=line,
        )
        self.provisions.append(self.article)
        self.paragraph = self.letter = self.roman = self.point = None
        self.last = self.article
        self.awaiting_title = True

    # -- lines -----------------------------------------------------------------------------

    def body_line(self, text: str, line: int, lookahead: list[str]) -> None:
        """A line of an article after its title."""
        article = self.current
        if match := _PARAGRAPH.match(text):
            number = int(match.group(1))
            expected = 1 if self.paragraph is None else (self.paragraph.paragraph or 0) + 1
            if number != expected:
                raise self.error(f"paragraph {number} where paragraph {expected} was expected "
                                 f"(article {article.article})", line)
            if article.text:
                raise self.error("numbered paragraph after unnumbered text", line)
            self.letter = self.roman = self.point = None
            self.paragraph = self.add(article, PARAGRAPH, f"{number}.", str(number), line,
                                      "")
            self.labelled_rest(match.group(2), line, lookahead)
            return
        if _PAREN_LABEL.match(text) or (self.roman is not None and _POINT.match(text)):
            self.labelled_rest(text, line, lookahead)
            return
        self.unlabelled(text, line)

    def labelled_rest(self, text: str, line: int, lookahead: list[str]) -> None:
        """Text after a label, which may itself start with a label: "(a) (i) The ..."."""
        if match := _PAREN_LABEL.match(text):
            self.paren_item(match.group(1), match.group(2), line, lookahead)
        elif self.roman is not None and (match := _POINT.match(text)):
            self.point_item(self.roman, match.group(1), match.group(2), line)
        elif self.last is not None:
            self.last.text = text

    def paren_item(self, key: str, rest: str, line: int, lookahead: list[str]) -> None:
        last_letter = self.letter.id.rsplit(".", 1)[-1] if self.letter else None
        as_letter = key == _next_letter(last_letter)
        as_roman = False
        if self.letter is not None and key in ROMANS:
            last_roman = self.roman.id.rsplit(".", 1)[-1] if self.roman else None
            as_roman = key == _next_roman(last_roman)
        if as_letter and as_roman:
            # "(i)" after "(h)": a ninth subparagraph, unless "(ii)" is the next label.
            as_letter = _next_label(lookahead) != _next_roman(key)
        if as_letter:
            self.roman = self.point = None
            self.letter = self.add(self.container(), LETTER, f"({key})", key, line, "")
        elif as_roman and self.letter is not None:
            self.point = None
            self.roman = self.add(self.letter, ROMAN, f"({key})", key, line, "")
        else:
            expected = _next_letter(last_letter)
            raise self.error(f"unexpected label ({key}) in {self.container().id} "
                             f"(expected ({expected}))", line)
        self.labelled_rest(rest, line, lookahead)

    def point_item(self, roman: Provision, key: str, rest: str, line: int) -> None:
        last_point = self.point.id.rsplit(".", 1)[-1] if self.point else None
        if key != _next_letter(last_point):
            raise self.error(f"unexpected label {key}. in {roman.id}", line)
        self.point = self.add(roman, POINT, f"{key}.", key, line, rest)

    def unlabelled(self, text: str, line: int) -> None:
        """Continuation of the last provision, or words closing its list of subparagraphs."""
        last = self.last or self.current
        if last.level in (ARTICLE, PARAGRAPH) and not last.children:
            last.text = f"{last.text} {text}" if last.text else text
            return
        holder = last if last.children else self._parent_of(last)
        holder.tail = f"{holder.tail} {text}" if holder.tail else text
        # What follows a closing line continues the holder's list, if anything.
        self.last = holder

    def _parent_of(self, provision: Provision) -> Provision:
        parent_id = provision.id.rsplit(".", 1)[0]
        for candidate in (self.roman, self.letter, self.paragraph, self.article):
            if candidate is not None and candidate.id == parent_id:
                return candidate
        raise RuntimeError(f"no open parent for {provision.id}")

    def parse(self, lines: list[str]) -> tuple[str, str]:
        """Split the lines; returns the title and the text after the header."""
        index = 0
        while index < len(lines) and (not lines[index].strip()
                                      or _HEADER.match(lines[index].strip())):
            index += 1
        body_start = index
        title = lines[index].strip() if index < len(lines) else ""
        content = [(number + 1, raw.strip()) for number, raw in enumerate(lines)
                   if number > body_start and raw.strip()]
        for position, (line, text) in enumerate(content):
            if _CLOSING.match(text):
                break
            if match := _ARTICLE.match(text):
                self.start_article(int(match.group(1)), line)
                continue
            if self.awaiting_title:
                self.current.article_title = text
                self.awaiting_title = False
                continue
            lookahead = [t for _, t in content[position + 1:position + 8]]
            if _CHAPTER.match(text) and lookahead and _ARTICLE.match(lookahead[0]):
                # "II. Prevention": a heading right before the article that opens the chapter.
                self.chapter = text
                continue
            if self.article is None:
                continue    # preamble
            self.body_line(text, line, lookahead)
        if self.awaiting_title:
            raise self.error("article without a title", len(lines))
        return title, "\n".join(lines[body_start:])


def parse_treaty(instrument: str, source: str, path: Path | str = "<text>") -> Treaty:
    """Split a treaty's source text (see the module docstring for the layout it expects)."""
    source_path = Path(path)
    parser = _Parser(instrument, str(source_path))
    title, body = parser.parse(source.splitlines())
    if not parser.provisions:
        raise InputError("no articles found in treaty text", path=str(source_path))
    return Treaty(instrument=instrument, title=title, path=source_path, text=body,
                  provisions=parser.provisions)
