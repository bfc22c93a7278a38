"""The report as CSV: one row per obligation, for spreadsheets."""

from __future__ import annotations

import csv
import io

from palermo.report.content import ObligationItem, ReportContent

COLUMNS = (
    "instrument", "id", "reference", "article_title", "category", "strength", "status",
    "status_label", "symbol", "priority", "action_order", "option", "binding", "summary",
    "findings", "citations", "recommended_measures",
)
# Cells a spreadsheet would run as a formula; answers come from people we do not control.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(item: ObligationItem, order: dict[str, int]) -> list[str]:
    number = order.get(item.id)
    return [
        item.instrument,
        item.id,
        item.reference,
        item.article_title,
        item.category,
        item.strength,
        item.status.value,
        item.status_label,
        item.status.symbol,
        item.priority_label or "",
        str(number) if number else "",
        item.option_label or "",
        "yes" if item.binding else "no",
        _safe(item.summary),
        _safe("\n".join(item.findings)),
        _safe("\n".join(item.citations)),
        _safe("\n".join(item.measures)),
    ]


def render_csv(content: ReportContent) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that spreadsheet programs read the scripts right."""
    # action_order is the place of a gap among the required measures; advisories are not gaps
    order = {a.item.id: n for n, a in
             enumerate((a for a in content.action_plan if a.kind == "required"), 1)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # Columns of their own: report --since marks the changes; sign-off marks the drafts.
    extra = [(name, cell) for name, cell, used in (
        ("change", lambda item: item.change_label or "", content.progress is not None),
        ("draft", lambda item: "yes" if item.draft_label else "", bool(content.clearances)),
    ) if used]
    writer.writerow([*COLUMNS, *(name for name, _ in extra)])
    for item in content.items:
        writer.writerow([*_row(item, order), *(cell(item) for _, cell in extra)])
    return out.getvalue().encode("utf-8-sig")
