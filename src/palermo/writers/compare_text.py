"""A comparison as text: the terminal table (80 columns), Markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import Any

from palermo import __version__
from palermo.compare import (
    KIND_LABELS,
    KINDS,
    AdvisoryChange,
    AnswerChange,
    Change,
    Comparison,
    Side,
    long_date,
)
from palermo.model import Status
from palermo.report.content import clean
from palermo.report.markdown_writer import md

WIDTH = 80


def status_text(status: Status | None, binding: bool | None = True) -> str:
    if status is None:
        return "not in scope"
    shown = f"{status.symbol} {status.label}"
    return shown if binding is not False else f"{shown} (not binding)"


def transition(change: Change) -> str:
    before = status_text(change.old_status, change.old_binding)
    after = status_text(change.new_status, change.new_binding)
    text = f"{before} → {after}" if before != after else after
    if change.old_priority != change.new_priority and change.old_priority and change.new_priority:
        text += f"; priority {change.old_priority} → {change.new_priority}"
    return text


def heading(comparison: Comparison) -> str:
    return f"{clean(comparison.state)}: progress since {long_date(comparison.old.date)}"


def side_line(side: Side) -> str:
    made = (f", made with catalog {side.answers_catalog_version}"
            if side.answers_catalog_version and side.answers_catalog_version
            != side.catalog_version else "")
    return (f"{clean(side.source)} ({long_date(side.date)}; read with catalog "
            f"{side.catalog_version}{made})")


def summary_line(comparison: Comparison) -> str:
    tally = comparison.tally()
    parts = [f"{KIND_LABELS[k]}: {n}" for k, n in tally.items()]
    parts.append(f"unchanged: {comparison.unchanged}")
    return " · ".join(parts)


def counts_line(comparison: Comparison) -> str:
    """Binding obligations by status, before and now."""
    return " · ".join(
        f"{s.label} {comparison.old.counts[s.value]} → {comparison.new.counts[s.value]}"
        for s in Status)


def answer_line(change: AnswerChange) -> str:
    cited = change.new_citations or change.old_citations
    tail = f" [{'; '.join(cited)}]" if cited else ""
    return f"{change.question_id}: {change.old} → {change.new}{tail}"


def advisory_line(change: AdvisoryChange) -> str:
    if change.change == "priority":
        return f"advisory {change.old_priority} → {change.new_priority}: {change.text}"
    priority = change.new_priority or change.old_priority
    return f"advisory {change.change} ({priority}): {change.text}"


# --- terminal table -------------------------------------------------------------------------

def _wrap(text: str, indent: int) -> list[str]:
    return textwrap.wrap(clean(text), WIDTH, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2), break_on_hyphens=False) or [""]


def render_table(comparison: Comparison) -> bytes:
    lines = [*_wrap(heading(comparison), 0)]
    lines += _wrap("Earlier: " + side_line(comparison.old), 0)
    lines += _wrap("Now:     " + side_line(comparison.new), 0)
    for note in comparison.notes:
        lines += _wrap("Note: " + note, 0)
    for kind in KINDS:
        found = comparison.of_kind(kind)
        if not found:
            continue
        lines += ["", f"{KIND_LABELS[kind]} ({len(found)})"]
        for change in found:
            ident = f"  {change.obligation_id}"
            lines += _wrap(f"{ident:<20} {change.reference:<16} {transition(change)}", 0)
            for item in change.answers:
                lines += _wrap(answer_line(item), 6)
            for advisory in change.advisories:
                lines += _wrap(advisory_line(advisory), 6)
            if change.catalog_changed and not change.answers:
                lines += _wrap("no answer changed: the catalog's entry changed", 6)
    if not comparison.changes:
        lines += ["", "No obligation changed status, priority or advisories."]
    lines += [""]
    lines += _wrap(summary_line(comparison), 0)
    lines += _wrap("Binding obligations: " + counts_line(comparison), 0)
    return ("\n".join(line.rstrip() for line in lines) + "\n").encode("utf-8")


# --- Markdown --------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return md(clean(text)).replace("\n", "<br>")


def render_markdown(comparison: Comparison) -> bytes:
    out = [f"# {md(heading(comparison))}", "",
           f"- Earlier: {md(side_line(comparison.old))}",
           f"- Now: {md(side_line(comparison.new))}", ""]
    for note in comparison.notes:
        out += [f"> {md(note)}", ""]
    out += [md(summary_line(comparison)), "", md("Binding obligations: "
                                                 + counts_line(comparison)), ""]
    for kind in KINDS:
        found = comparison.of_kind(kind)
        if not found:
            continue
        out += [f"## {KIND_LABELS[kind]} ({len(found)})", "",
                "| Obligation | Instrument | Article | Status | Answers that changed |",
                "|---|---|---|---|---|"]
        for change in found:
            details = [answer_line(a) for a in change.answers]
            details += [advisory_line(a) for a in change.advisories]
            out.append(f"| `{change.obligation_id}` | {comparison.title(change.instrument)} | "
                       f"{change.reference} | {_cell(transition(change))} | "
                       f"{'<br>'.join(_cell(d) for d in details)} |")
        out.append("")
    if not comparison.changes:
        out += ["No obligation changed status, priority or advisories.", ""]
    return "\n".join(out).encode("utf-8")


# --- JSON -------------------------------------------------------------------------------------

def _side(side: Side) -> dict[str, Any]:
    return {"state": side.state, "source": side.source, "date": side.date,
            "catalog_version": side.catalog_version,
            "answers_catalog_version": side.answers_catalog_version,
            "instruments": list(side.instruments), "party_status": side.party_status,
            "counts": side.counts}


def _change(change: Change) -> dict[str, Any]:
    return {
        "obligation": change.obligation_id, "instrument": change.instrument,
        "reference": change.reference, "category": change.category,
        "strength": change.strength, "summary": change.summary, "kind": change.kind,
        "mark": change.mark,
        "old": {"status": change.old_status.value if change.old_status else None,
                "priority": change.old_priority, "binding": change.old_binding},
        "new": {"status": change.new_status.value if change.new_status else None,
                "priority": change.new_priority, "binding": change.new_binding},
        "answers": [{"question": a.question_id, "text": a.question, "old": a.old, "new": a.new,
                     "old_citations": list(a.old_citations),
                     "new_citations": list(a.new_citations)} for a in change.answers],
        "advisories": [{"change": a.change, "id": a.id, "text": a.text,
                        "old_priority": a.old_priority, "new_priority": a.new_priority}
                       for a in change.advisories],
        "citations": list(change.citations),
        "findings": list(change.findings),
        "catalog_changed": change.catalog_changed,
    }


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    return {"format": "palermo-compare", "format_version": 1,
            "generator": f"palermo {__version__}", "state": comparison.state,
            "forced": comparison.forced,
            "old": _side(comparison.old), "new": _side(comparison.new),
            "summary": {**comparison.tally(), "unchanged": comparison.unchanged},
            "notes": list(comparison.notes),
            "changes": [_change(c) for c in comparison.changes]}


def render_json(comparison: Comparison) -> bytes:
    return (json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False)
            + "\n").encode("utf-8")


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ("obligation", "instrument", "reference", "category", "strength", "kind",
               "old_status", "new_status", "old_priority", "new_priority", "old_binding",
               "new_binding", "answers_changed", "citations", "summary")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def _safe(value: str) -> str:
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def render_csv(comparison: Comparison) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in comparison.changes:
        writer.writerow([
            c.obligation_id, c.instrument, c.reference, c.category, c.strength, c.kind,
            c.old_status.value if c.old_status else "", c.new_status.value if c.new_status else "",
            c.old_priority or "", c.new_priority or "", _yes_no(c.old_binding),
            _yes_no(c.new_binding), _safe("\n".join(answer_line(a) for a in c.answers)),
            _safe("\n".join(c.citations)), _safe(c.summary)])
    return out.getvalue().encode("utf-8-sig")
