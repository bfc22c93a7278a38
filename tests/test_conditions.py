import pytest

from palermo.conditions import HIDDEN, UNKNOWN, evaluate

VALUES = {"t.yes": "yes", "t.no": "no", "t.hidden": HIDDEN, "t.unknown": UNKNOWN,
          "t.multi": ["a", "b"]}


@pytest.mark.parametrize("condition, expected", [
    ({"q": "t.yes", "is": "yes"}, True),
    ({"q": "t.no", "is": "yes"}, False),
    ({"q": "t.hidden", "is": "yes"}, False),
    ({"q": "t.unknown", "is": "yes"}, None),
    ({"not": {"q": "t.hidden", "is": "yes"}}, True),
    ({"not": {"q": "t.unknown", "is": "yes"}}, None),
    ({"q": "t.yes", "in": ["yes", "partly"]}, True),
    ({"q": "t.multi", "includes": "a"}, True),
    ({"q": "t.multi", "includes_all": ["a", "c"]}, False),
    ({"q": "t.multi", "includes_any": ["c", "b"]}, True),
    ({"q": "t.unknown", "answered": True}, False),
    ({"q": "t.no", "answered": True}, True),
    ({"all": [{"q": "t.yes", "is": "yes"}, {"q": "t.unknown", "is": "yes"}]}, None),
    ({"all": [{"q": "t.no", "is": "yes"}, {"q": "t.unknown", "is": "yes"}]}, False),
    ({"any": [{"q": "t.yes", "is": "yes"}, {"q": "t.unknown", "is": "yes"}]}, True),
    ({"any": [{"q": "t.no", "is": "yes"}, {"q": "t.unknown", "is": "yes"}]}, None),
])
def test_three_valued_evaluation(condition, expected):
    assert evaluate(condition, VALUES.__getitem__) is expected
