"""The report's words: templates, labels, the State's names and dates.

Every word a reader sees comes from `templates/report/` (Jinja2 templates and labels.yaml), so
a translation or an organisation's own wording touches that folder alone. An organisation's
`--templates` folder overrides templates by name; a name that is not one of ours is an error,
never a silent fallback to our wording.

Text from answers files is cleaned here once, for every writer: characters that XML cannot
hold are removed and line ends are normalised.
"""


import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from palermo.errors import InputError

# Characters XML 1.0 cannot hold (C0 controls but tab and line ends, surrogates, U+FFFE/F),
# plus C1 controls, which are legal XML but break Word and spreadsheet readers.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

TEMPLATE_NAMES = (
    "title.j2", "subtitle.j2", "cover_note.j2", "overall_assessment.j2",
    "executive_summary.j2", "instrument_intro.j2", "category_intro.j2", "not_binding.j2",
    "correspondence_intro.j2", "analysis_intro.j2", "action_plan_intro.j2",
    "answers_annex_intro.j2", "notifications_annex_intro.j2", "method.j2", "progress_intro.j2",
)
LABELS = "labels.yaml"
TEMPLATES_LAYOUT = (
    "DIR holds report wording files named as the bundled ones, e.g. DIR/overall_assessment.j2 "
    "or DIR/labels.yaml; any it lacks keep the bundled wording."
)


def clean(text: Any) -> str:
    """Text safe for every output: XML-incompatible characters removed, line ends as \\n."""
    if text is None:
        return ""
    value = text if type(text) is str else str(text)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Called thousands of times per report on text that is nearly always clean already.
    return _UNSAFE.sub("", value) if _UNSAFE.search(value) else value


class Block(NamedTuple):
    """A paragraph (`text`) or a bulleted list (`items`) of wording."""

    kind: str                      # "para", "bullets", or "note": a paragraph set apart
                                   # (quoted, or in muted type)
    text: str = ""
    items: tuple[str, ...] = ()


def blocks(text: str) -> tuple[Block, ...]:
    """Split rendered wording into paragraphs (blank line apart) and '- ' bullet lists."""
    result: list[Block] = []
    para: list[str] = []
    items: list[str] = []

    def flush_para() -> None:
        if para:
            result.append(Block("para", text=" ".join(para)))
            para.clear()

    def flush_items() -> None:
        if items:
            result.append(Block("bullets", items=tuple(items)))
            items.clear()

    for raw in clean(text).split("\n"):
        line = raw.strip()
        if not line:
            flush_para()
            flush_items()
        elif line[:2] in ("- ", "* ", "• "):
            flush_para()
            items.append(line[2:].strip())
        elif items and raw[:1] in (" ", "\t"):
            items[-1] += " " + line          # an indented continuation of a bullet
        else:
            flush_items()
            para.append(line)
    flush_para()
    flush_items()
    return tuple(result)


class StateNames(NamedTuple):
    """How the report names the State.

    `short` ("Testland") is used in running text and possessives; `formal` ("the Republic
    of Testland", with its article) where the State is named formally, never with a
    possessive; `display` ("Republic of Testland") stands alone on the cover.
    """

    short: str
    formal: str
    display: str

    @classmethod
    def of(cls, state: str, formal_name: str | None) -> "StateNames":
        short = clean(state).strip()
        formal = clean(formal_name).strip() if formal_name else ""
        formal = formal or short
        display = formal[4:] if formal[:4].lower() == "the " else formal
        return cls(short=short, formal=formal, display=display[:1].upper() + display[1:])

    def context(self) -> dict[str, str]:
        return {"state": self.short, "formal_name": self.formal,
                "Formal_name": capitalised(self.formal), "state_display": self.display}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_SENTENCE_START = r"(^|[.!?]\s+|\n\s*)"


def capitalise_names(text: str, names: StateNames) -> str:
    """Capitalise the formal name where it starts a sentence ("the Republic..." → "The ...")."""
    formal = names.formal
    if not formal or formal[:1].upper() == formal[:1]:
        return text
    pattern = re.compile(_SENTENCE_START + re.escape(formal))
    return pattern.sub(lambda m: m.group(1) + capitalised(formal), text)


class Wording:
    """Renders the report's templates and looks up its labels."""

    def __init__(self, templates_dir: Path | None, names: StateNames) -> None:
        from palermo.resources import bundled

        self.bundled = bundled("templates") / "report"
        self.custom = _checked_folder(Path(templates_dir)) if templates_dir else None
        self.names = names
        self.labels = _labels(self.custom)

    def render(self, name: str, context: dict[str, Any]) -> str:
        from palermo.templating import render_file

        if name not in TEMPLATE_NAMES:      # a programming error, not a user's
            raise ValueError(f"unknown report template {name}")
        directory = self.bundled
        if self.custom is not None and (self.custom / name).is_file():
            directory = self.custom
        elif not (directory / name).is_file():
            raise InputError("report template missing", path=str(directory / name))
        text = clean(render_file(directory, name, context))
        return capitalise_names(text, self.names)

    def blocks(self, name: str, context: dict[str, Any]) -> tuple[Block, ...]:
        return blocks(self.render(name, context))

    def label(self, group: str, key: str, **values: Any) -> str:
        text = str(self.labels[group][key])
        return text.format(**values) if values else text

    def date(self, value: str | None) -> str:
        """'2026-12-01' as '1 December 2026'; anything else as it is."""
        text = clean(value).strip()
        match = _ISO_DATE.match(text[:10])
        if not match:
            return text
        try:
            day = _dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
        return f"{day.day} {self.labels['months'][day.month - 1]} {day.year}"

    def question(self, text: str) -> str:
        """A question as a report prints it: in the third person, without input hints."""
        for old, new in self.labels["question_wording"]:
            text = text.replace(old, new)
        return text.strip()


def _checked_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise InputError("templates folder not found", path=str(folder))
    known = (*TEMPLATE_NAMES, LABELS)
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for name in names:
        if name not in known:
            from palermo.errors import closest

            hint = closest(name, known, n=1)
            guess = f"did you mean {hint[0]}? " if hint else ""
            raise InputError(f"'{name}' is not a report template ({guess}expected one of: "
                             f"{', '.join(known)})", path=str(folder / name))
    if not names:
        raise InputError(f"the templates folder holds no report template (expected files "
                         f"such as {TEMPLATE_NAMES[3]} or {LABELS})", path=str(folder))
    return folder


@lru_cache(maxsize=1)
def bundled_labels() -> dict[str, Any]:
    """The bundled labels.yaml (read once per process)."""
    from palermo.resources import bundled
    from palermo.yamlio import load_yaml

    return dict(load_yaml(bundled("templates") / "report" / LABELS).data)


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    """The replacement fields of a label: (name, format spec, conversion) each."""
    import string

    return [(name, spec or "", conversion)
            for _, name, spec, conversion in string.Formatter().parse(text) if name is not None]


def _check_placeholders(doc: Any, group: str, key: str, value: Any, bundled: Any) -> None:
    """An organisation's label may use the placeholders of the bundled one, written plainly
    ({count}): another name would fail when the report is written, and a format or an
    attribute ({count:>999999}, {state.upper}) is work no label needs."""
    if not isinstance(bundled, str) or not isinstance(value, str):
        return
    allowed = [name for name, _, _ in _fields(bundled)]
    expected = ", ".join(f"{{{name}}}" for name in dict.fromkeys(allowed)) or "none"
    try:
        fields = _fields(value)
    except ValueError:
        raise doc.error(f"unbalanced brace in label '{key}' of '{group}' (write {{{{ and }}}} "
                        f"for a brace; placeholders: {expected})", [group, key]) from None
    for name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + \
                (f":{spec}" if spec else "") + "}"
            raise doc.error(f"placeholder '{shown}' not allowed in label '{key}' of '{group}' "
                            f"(placeholders: {expected})", [group, key])


def _labels(custom: Path | None) -> dict[str, Any]:
    """The bundled labels, with those of an organisation's labels.yaml put over them."""
    from palermo.yamlio import load_yaml

    labels = dict(bundled_labels())
    if custom is None or not (custom / LABELS).is_file():
        return labels
    doc = load_yaml(custom / LABELS)
    if not isinstance(doc.data, dict):
        raise doc.error("expected a mapping of label groups, as in the bundled labels.yaml")
    for group, entries in doc.data.items():
        if group not in labels:
            raise doc.error(f"unknown label group '{group}' (expected one of: "
                            f"{', '.join(labels)})", [group], at_key=True)
        if isinstance(labels[group], dict):
            if not isinstance(entries, dict):
                raise doc.error(f"expected a mapping under '{group}'", [group])
            unknown = [k for k in entries if k not in labels[group]]
            if unknown:
                raise doc.error(f"unknown label '{unknown[0]}' in '{group}' (expected one of: "
                                f"{', '.join(map(str, labels[group]))})", [group, unknown[0]],
                                at_key=True)
            for key, value in entries.items():
                _check_placeholders(doc, group, str(key), value, labels[group][key])
            labels[group] = {**labels[group], **{k: clean(v) for k, v in entries.items()}}
        else:
            labels[group] = entries
    return labels
