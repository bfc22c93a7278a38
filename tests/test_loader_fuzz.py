"""Any text given to the loaders either loads or gives a one-line InputError, never a crash."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from palermo.answers import check_answers, load_answers
from palermo.errors import InputError
from palermo.workspace import open_workspace

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "meridia.yaml").read_bytes()
NOISE = [b":", b"-", b" ", b"\n", b"'", b'"', b"[", b"{", b"!!python/object:os.system", b"&a",
         b"*a", b"\t", b"\x00", b"\xff", b"yes", b"no", b"~", b"#", b"|", b">", b"%YAML 1.1\n"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out))
        action = rng.random()
        if action < 0.4:
            out[at:at] = rng.choice(NOISE)
        elif action < 0.7:
            del out[at:at + rng.randint(1, 40)]
        else:
            end = at + rng.randint(1, 200)
            out[at:at] = out[at:end]           # duplicate a stretch: keys, indentation
    return bytes(out)


@pytest.fixture(scope="module")
def ws():
    return open_workspace()


@pytest.mark.parametrize("seed", range(200))
def test_mangled_answers_file_loads_or_fails_cleanly(tmp_path, ws, seed):
    rng = random.Random(seed)
    path = tmp_path / "mangled.yaml"
    path.write_bytes(mutate(EXAMPLE, rng))
    try:
        answers = load_answers(path)
        problems = check_answers(answers, ws.bank)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "\n" not in message
        return
    for problem in problems:
        assert str(problem).startswith(str(path)) and "\n" not in str(problem)
