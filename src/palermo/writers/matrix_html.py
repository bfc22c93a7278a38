"""The regional grid as one standalone HTML page: no external file, script or font.

Every table sorts by any column (a click on its heading, or Enter on the focused button). A
status is shown by its symbol and its colour, and named in words for screen readers and in a
tooltip; the fills differ in lightness, so the grid still reads printed in greyscale.
"""

from __future__ import annotations

from html import escape

from palermo.matrix import CELL_LABELS, CELL_SYMBOLS, TOTAL_LABELS, TOTALS, Cell, Matrix
from palermo.model import Status
from palermo.report.content import CATEGORY_LABELS, STATUS_FILL, STATUS_INK, clean
from palermo.writers.matrix_text import column_label, party_text

# Sorting a status column puts the worst first.
_RANK = {"not_met": 0, "partially_met": 1, "not_assessed": 2, "met": 3, "not_applicable": 4,
         "not_binding": 5}

_CSS = """
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 1.5rem;
       color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.wrap { overflow: auto; max-height: 80vh; border: 1px solid #bfbfbf; }
table { border-collapse: separate; border-spacing: 0; font-size: .85rem; }
th, td { border: 1px solid #d0d0d0; padding: .2rem .35rem; }
thead th { position: sticky; top: 0; background: #e8e8e8; z-index: 2; vertical-align: bottom; }
th.state, td.state { position: sticky; left: 0; background: #fff; z-index: 1;
                     text-align: left; white-space: nowrap; }
thead th.state { z-index: 3; background: #e8e8e8; }
th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
            cursor: pointer; text-align: inherit; color: inherit; }
th .ref { display: block; font-weight: normal; font-size: .75rem; white-space: nowrap; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.c { text-align: center; font-weight: bold; min-width: 1.6rem; }
td.n { text-align: right; }
tfoot td, tfoot th { background: #f2f2f2; font-weight: bold; }
.nb { background: #fff; color: #595959; border: 1px dotted #595959; font-style: italic; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.legend li { padding: .15rem .5rem; border: 1px solid #d0d0d0; }
@media print { .wrap { max-height: none; overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""

# Sorts the body rows of the table whose heading was clicked; numbers and ranks from data-v.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, index) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-v"), y = b.cells[index].getAttribute("data-v");
        var nx = parseFloat(x), ny = parseFloat(y), r;
        if (!isNaN(nx) && !isNaN(ny)) { r = nx - ny; } else { r = x.localeCompare(y); }
        return asc ? r : -r;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def e(text: str) -> str:
    return escape(clean(text), quote=True)


def _status_css() -> str:
    rules = [f".s-{s.value} {{ background: #{STATUS_FILL[s]}; color: #{STATUS_INK[s]}; }}"
             for s in Status]
    return "\n".join(rules)


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return '<td class="c" data-v="9"></td>'
    key = cell.key
    label = CELL_LABELS[key] + (" (decided with questions still open)" if cell.incomplete else "")
    css = "nb" if key == "not_binding" else f"s-{key}"
    star = "*" if cell.incomplete else ""
    return (f'<td class="c {css}" data-v="{_RANK[key]}" title="{e(label)}">'
            f'<span aria-hidden="true">{CELL_SYMBOLS[key]}{star}</span>'
            f'<span class="sr">{e(label)}</span></td>')


def _heading(text: str, sub: str = "", *, state: bool = False) -> str:
    css = ' class="state"' if state else ""
    ref = f'<span class="ref">{e(sub)}</span>' if sub else ""
    return f'<th scope="col"{css}><button type="button">{e(text)}</button>{ref}</th>'


def _summary(matrix: Matrix) -> list[str]:
    out = ['<h2 id="summary">Summary</h2>', '<div class="wrap"><table class="sortable">',
           "<thead><tr>", _heading("State", state=True), _heading("Party status")]
    out += [_heading(TOTAL_LABELS[t]) for t in TOTALS]
    out += ["</tr></thead><tbody>"]
    for row in matrix.rows:
        out.append(f'<tr><th scope="row" class="state" data-v="{e(row.state)}">'
                   f'{e(row.state)}</th><td data-v="{e(party_text(row))}">'
                   f'{e(party_text(row))}</td>')
        out += [f'<td class="n" data-v="{n}">{n}</td>' for n in row.totals(matrix.columns).values()]
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return out


def _instrument(matrix: Matrix, instrument: str) -> list[str]:
    columns = matrix.columns_of(instrument)
    title = matrix.title(instrument)
    out = [f'<h2 id="{e(instrument)}">{e(title)}</h2>',
           '<div class="wrap"><table class="sortable">', "<thead><tr>",
           _heading("State", state=True)]
    out += [_heading(column_label(c), f"{c.id} · {CATEGORY_LABELS.get(c.category, c.category)}")
            for c in columns]
    out += [_heading("Gaps"), "</tr></thead><tbody>"]
    for row in matrix.rows:
        gaps = sum(1 for c in columns if (x := row.cells.get(c.id)) and x.is_gap)
        out.append(f'<tr><th scope="row" class="state" data-v="{e(row.state)}">'
                   f'{e(row.state)}</th>')
        out += [_cell(row.cells.get(c.id)) for c in columns]
        out.append(f'<td class="n" data-v="{gaps}">{gaps}</td></tr>')
    out.append('</tbody><tfoot><tr><th scope="row" class="state">States with this gap</th>')
    out += [f'<td class="n">{matrix.column_totals(c)["gap"]}</td>' for c in columns]
    out.append("<td></td></tr></tfoot></table></div>")
    return out


def render_html(matrix: Matrix) -> str:
    title = f"Regional picture: {len(matrix.rows)} States"
    legend = "".join(
        f'<li class="{"nb" if k == "not_binding" else "s-" + k}">'
        f'<span aria-hidden="true">{CELL_SYMBOLS[k]}</span> {e(CELL_LABELS[k])}</li>'
        for k in CELL_SYMBOLS)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title><style>{_CSS}{_status_css()}</style></head><body>",
             f"<h1>{e(title)}</h1>",
             f"<p>Catalog {e(matrix.catalog_version)} · {e(matrix.filters.describe())}. "
             "Click a column heading to sort.</p>",
             f'<ul class="legend">{legend}<li>* decided with questions still open</li>'
             "<li>blank: outside the State's assessment</li></ul>"]
    if matrix.failures:
        parts.append(f"<p><strong>Left out ({len(matrix.failures)}):</strong></p><ul>")
        parts += [f"<li>{e(f)}</li>" for f in matrix.failures]
        parts.append("</ul>")
    parts += _summary(matrix)
    for instrument in matrix.instruments():
        parts += _instrument(matrix, instrument)
    parts += [f"<script>{_SCRIPT}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"
