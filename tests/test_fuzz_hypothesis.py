"""Random YAML and random bytes through every loader: a result or one located line, quickly.

Hypothesis builds documents the hand-written cases do not think of (keys of every type,
control characters, deep and wide nesting, anchors and aliases, broken UTF-8) and feeds
them to the answers, catalog, questionnaire and exclusions loaders. Each example must give
either a loaded document or an InputError of one line that names the file, within a second.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palermo.answers import check_answers, load_answers
from palermo.catalog import load_catalog
from palermo.errors import InputError
from palermo.questionnaire import load_questionnaires
from palermo.validate import load_exclusions
from palermo.workspace import open_workspace

MINI = Path(__file__).parent / "fixtures" / "mini"
EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "meridia.yaml").read_text()
# PALERMO_FUZZ_EXAMPLES=2000 for a longer hunt; the suite runs a fixed, quick sample.
EXAMPLES = int(os.environ.get("PALERMO_FUZZ_EXAMPLES", "60"))
FAST = settings(max_examples=EXAMPLES, deadline=2000, derandomize=EXAMPLES <= 60,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
keys = st.one_of(text, st.sampled_from(["palermo", "state", "instruments", "answers", "answer",
                                        "citations", "note", "skipped", "id", "instrument",
                                        "obligations", "sections", "rules", "exclusions",
                                        "som.offence", "som.6.1.a"]), st.integers(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(keys, inner, max_size=6)), max_leaves=40)
TOKENS = ["*a", "&a ", "!!python/object/apply:os.system ['id']", "[" * 60, "{a: " * 30, "? ",
          "<<: *a", "\t", "\x1b[2J", "%YAML 1.1\n", "---\n", "...\n", "'", '"', "\\", ": ", "- "]


def _dump(value: object) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except (yaml.YAMLError, RecursionError):
        return repr(value)


def _one_line_or_ok(load, path: Path) -> None:
    start = time.perf_counter()
    try:
        load(path)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        assert "\n" not in message and "\x1b" not in message
        assert len(message) <= 1000
    assert time.perf_counter() - start < 5


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


def _answers(path: Path) -> None:
    problems = check_answers(load_answers(path), open_workspace(MINI / "obligations",
                                                                MINI / "questionnaires").bank)
    for problem in problems:
        assert "\n" not in str(problem)


@FAST
@given(st.one_of(values.map(_dump), st.binary(max_size=300).map(
    lambda b: b.decode("utf-8", "replace"))))
def test_random_answers_files(document):
    with tempfile.TemporaryDirectory() as folder:
        _one_line_or_ok(_answers, _write(Path(folder), "answers.yaml", document))


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        _one_line_or_ok(_answers, _write(Path(folder), "answers.yaml", data))


@FAST
@given(st.integers(0, len(EXAMPLE) - 1), st.lists(st.sampled_from(TOKENS), min_size=1,
                                                   max_size=4))
def test_example_with_hostile_tokens(at, tokens):
    with tempfile.TemporaryDirectory() as folder:
        document = EXAMPLE[:at] + "".join(tokens) + EXAMPLE[at:]
        _one_line_or_ok(_answers, _write(Path(folder), "answers.yaml", document))


def _catalog(path: Path) -> None:
    load_questionnaires(load_catalog(path.parent), MINI / "questionnaires")


@FAST
@given(values.map(_dump), st.sampled_from(["som.yaml", "catalog.yaml"]))
def test_random_catalog_files(document, name):
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(MINI, Path(folder) / "mini")
        obligations = Path(folder) / "mini" / "obligations"
        _one_line_or_ok(_catalog, _write(obligations, name, document))


@FAST
@given(values.map(_dump))
def test_random_questionnaires(document):
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(MINI, Path(folder) / "mini")
        questionnaires = Path(folder) / "mini" / "questionnaires"
        path = _write(questionnaires, "som.yaml", document)
        _one_line_or_ok(lambda _: load_questionnaires(load_catalog(MINI / "obligations"),
                                                      questionnaires), path)


@FAST
@given(values.map(_dump))
def test_random_exclusions(document):
    with tempfile.TemporaryDirectory() as folder:
        _one_line_or_ok(load_exclusions, _write(Path(folder), "exclusions.yaml", document))


def _parsed(text: str, direct: bool) -> tuple[str, object]:
    import palermo.yamlio as yamlio

    own = yamlio._construct
    if not direct:
        yamlio._construct = lambda loader, node, aliases, text: loader.construct_document(node)
    try:
        data = yamlio.parse_yaml(text, "r.yaml").data
    except InputError as exc:
        return "error", str(exc)
    finally:
        yamlio._construct = own
    return "data", data


@FAST
@given(st.one_of(values.map(_dump),
                 st.lists(st.one_of(values.map(_dump), st.sampled_from(TOKENS)),
                          max_size=8).map("".join)))
def test_answers_built_directly_are_what_pyyaml_builds(document):
    direct, pyyaml = _parsed(document, True), _parsed(document, False)
    assert direct == pyyaml and repr(direct) == repr(pyyaml)
