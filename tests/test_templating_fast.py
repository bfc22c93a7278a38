"""Templates of plain names render exactly as Jinja renders them."""

from __future__ import annotations

import pytest

from palermo.templating import _environment, render_string

CASES = [
    "{{ state }} has no offence.",
    "In {{state}}, the law of {{ state }} applies.\r\nSecond line.\n",
    "No variable at all.  ",
    "{{ state }}: a brace } and }} stay.",
    "{{ state }}'s law",
]
CONTEXT = {"state": "Meridia {{ not a tag }}", "answers": {}}


@pytest.mark.parametrize("source", CASES)
def test_same_text_as_jinja(source):
    expected = _environment().from_string(source).render(**CONTEXT).strip()
    assert render_string(source, CONTEXT, where="test") == expected


def test_anything_else_goes_through_jinja():
    assert render_string("{{ state | upper }}", {"state": "x"}, where="t") == "X"
    assert render_string("{% if state %}yes{% endif %}", {"state": "x"}, where="t") == "yes"
    with pytest.raises(Exception, match="undefined"):
        render_string("{{ missing }}", {"state": "x"}, where="t")
