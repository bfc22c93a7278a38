"""The user's cache: honours XDG_CACHE_HOME, written only for input that passed, atomically,
survives a read-only or full folder, is off with one variable, and is never trusted blindly."""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from palermo import cache

ROOT = Path(__file__).resolve().parents[1]
MERIDIA = ROOT / "examples" / "meridia.yaml"


def palermo(*args: object, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "palermo", *map(str, args)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def home(tmp_path) -> tuple[dict[str, str], Path]:
    """A user with a home of their own: where a run writes is seen in full."""
    user = tmp_path / "home"
    user.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CACHE_HOME", "PALERMO_CACHE_DIR", "PALERMO_NO_CACHE")}
    env["HOME"] = str(user)
    return env, user


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_xdg_cache_home_is_honoured_and_a_hit_says_the_same(home, tmp_path):
    env, user = home
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    first = palermo("report", MERIDIA, "-o", tmp_path / "first.md", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    kinds = {name.split("-")[0] for name in files_under(tmp_path / "xdg" / "palermo")}
    assert kinds == {"workspace", "templates", "answers"}
    assert files_under(user) == []                                 # nothing in ~/.cache
    assert stat.S_IMODE((tmp_path / "xdg" / "palermo").stat().st_mode) == 0o700
    again = palermo("report", MERIDIA, "-o", tmp_path / "again.md", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.md").read_text() == (tmp_path / "first.md").read_text()


def test_default_is_the_home_cache_and_one_variable_turns_it_off(home, tmp_path):
    env, user = home
    assert palermo("gaps", MERIDIA, env=env, cwd=tmp_path).returncode == 0
    assert any(name.startswith(".cache/palermo/workspace-") for name in files_under(user))
    shutil.rmtree(user / ".cache")
    env["PALERMO_NO_CACHE"] = "1"
    assert palermo("gaps", MERIDIA, env=env, cwd=tmp_path).returncode == 0
    assert files_under(user) == []


def test_nothing_is_kept_for_bad_input(home, tmp_path):
    env, user = home
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    catalog = tmp_path / "obligations"
    shutil.copytree(ROOT / "obligations", catalog)
    som = catalog / "som.yaml"
    som.write_text(som.read_text().replace("strength: mandatory", "strength: must", 1))
    bad_catalog = palermo("gaps", MERIDIA, "--catalog", catalog, "--questionnaires",
                          ROOT / "questionnaires", env=env, cwd=tmp_path)
    assert bad_catalog.returncode == 1 and "'must' is not valid" in bad_catalog.stderr
    assert files_under(tmp_path / "xdg") == []

    answers = tmp_path / "bad.yaml"
    answers.write_text(MERIDIA.read_text().replace("answer: 'yes'", "answer: maybe", 1))
    bad_answers = palermo("gaps", answers, env=env, cwd=tmp_path)
    assert bad_answers.returncode == 1 and "'maybe' is not a valid answer" in bad_answers.stderr
    kinds = {name.split("-")[0] for name in files_under(tmp_path / "xdg" / "palermo")}
    assert kinds == {"workspace"}          # the bundled catalog passed; the answers did not


def test_a_read_only_cache_costs_only_speed(home, tmp_path):
    env, _ = home
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    env["PALERMO_CACHE_DIR"] = str(folder)
    try:
        result = palermo("gaps", MERIDIA, "--only-gaps", env=env, cwd=tmp_path)
        if os.geteuid() != 0:  # root writes anywhere; the mode still says read-only
            assert files_under(folder) == []
    finally:
        folder.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "som.6.1.c" in result.stdout


def test_a_full_disk_leaves_nothing_behind(private_cache, monkeypatch):
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert cache.write("workspace", "k" * 64, b"data") is False
    assert files_under(private_cache) == []


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("PALERMO_CACHE_DIR", str(folder))
    assert cache.write("answers", "a" * 64, b"") is False
    assert cache.read("answers", "a" * 64) is None
    assert files_under(folder) == []


def test_entries_are_never_code(private_cache, tmp_path):
    witness = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    assert cache.write("workspace", "e" * 64, pickle.dumps(Evil()))
    assert cache.load_object("workspace", "e" * 64) is None
    assert not witness.exists()
    assert cache.write("workspace", "d" * 64, b"\x80\x05not a pickle")
    assert cache.load_object("workspace", "d" * 64) is None


def test_the_catalogs_records_read_back_and_nothing_posing_as_them(private_cache, monkeypatch):
    """The catalog's NamedTuples (Obligation, Question, ...) come back from the cache equal;
    a tuple class a palermo module merely holds, or any other of its names, does not."""
    import collections

    from palermo import model
    from palermo.workspace import _open

    _open.cache_clear()
    loaded = _open(None, None)
    _open.cache_clear()
    assert loaded.key is not None
    again = cache.load_object("workspace", loaded.key)
    assert again == loaded
    ob = next(iter(again.catalog.obligations.values()))
    question = next(iter(again.bank.questions.values()))
    assert (type(ob), type(question).__name__) == (model.Obligation, "Question")

    monkeypatch.setattr(model, "Foreign", collections.namedtuple("Foreign", "a"), raising=False)
    for name in ("Foreign", "MappingProxyType", "Mapping", "NamedTuple"):
        stream = f"\x80\x04cpalermo.model\n{name}\n.".encode()
        assert cache.write("workspace", "h" * 64, stream)
        assert cache.load_object("workspace", "h" * 64) is None, name
    assert cache.write("workspace", "h" * 64, b"\x80\x04cpalermo.model\nObligation\n.")
    assert cache.load_object("workspace", "h" * 64) is model.Obligation


def test_paths_read_back_whichever_pathlib_module_pickled_them(private_cache):
    """Python 3.13 pickles a path as pathlib._local.PosixPath, 3.11 as pathlib.PosixPath."""
    for module in ("pathlib", "pathlib._local"):
        stream = (b"\x80\x04c" + module.encode() + b"\nPosixPath\n"
                  b"X\x04\x00\x00\x00/srv\x85R.")          # PosixPath("/srv")
        assert cache.write("workspace", "f" * 64, stream)
        assert cache.load_object("workspace", "f" * 64) == Path("/srv")
    for module, name in (("pathlib", "os"), ("pathlib._local", "sys"), ("os", "PosixPath")):
        assert cache.write("workspace", "g" * 64, f"\x80\x04c{module}\n{name}\n.".encode())
        assert cache.load_object("workspace", "g" * 64) is None


def test_a_damaged_entry_is_a_miss(home, tmp_path):
    env, _ = home
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    first = palermo("gaps", MERIDIA, env=env, cwd=tmp_path)
    for entry in (tmp_path / "xdg" / "palermo").iterdir():
        entry.write_bytes(b"garbage")
    again = palermo("gaps", MERIDIA, env=env, cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, first.stdout)


def test_a_changed_catalog_is_a_miss(home, tmp_path):
    env, _ = home
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    catalog = tmp_path / "obligations"
    shutil.copytree(ROOT / "obligations", catalog)
    args = ("catalog", "show", "som.6.1.a", "--catalog", catalog, "--questionnaires",
            ROOT / "questionnaires")
    before = palermo(*args, env=env, cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    som = catalog / "som.yaml"
    text = som.read_text()
    start = text.index("- id: som.6.1.a\n")
    title = text.index("article_title: Criminalization", start)
    som.write_text(text[:title] + "article_title: Criminalization (as amended)"
                   + text[title + len("article_title: Criminalization"):])
    after = palermo(*args, env=env, cwd=tmp_path)
    assert after.stdout.splitlines()[0].endswith(": Criminalization (as amended)")
    assert before.stdout.splitlines()[0].endswith(": Criminalization")


def test_a_remembered_analysis_is_the_analysis_of_the_file_as_it_is_now(home, tmp_path):
    env, _ = home
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    answers = tmp_path / "meridia.yaml"
    shutil.copy(MERIDIA, answers)
    fresh = palermo("gaps", answers, "--format", "json", env={**env, "PALERMO_NO_CACHE": "1"},
                    cwd=tmp_path)
    first = palermo("gaps", answers, "--format", "json", env=env, cwd=tmp_path)
    again = palermo("gaps", answers, "--format", "json", env=env, cwd=tmp_path)
    assert any(p.name.startswith("analysis-") for p in (tmp_path / "xdg" / "palermo").iterdir())
    assert fresh.stdout == first.stdout == again.stdout
    text = answers.read_text()
    assert "  som.smuggling_offence:\n    answer: 'yes'\n" in text
    answers.write_text(text.replace("  som.smuggling_offence:\n    answer: 'yes'\n",
                                    "  som.smuggling_offence:\n    answer: 'no'\n"))
    changed = palermo("gaps", answers, "--format", "json", env=env, cwd=tmp_path)
    assert changed.stdout != again.stdout
    status = {o["id"]: o["status"] for o in json.loads(changed.stdout)["obligations"]}
    assert status["som.6.1.a"] == "not_met"
