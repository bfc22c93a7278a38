"""An answers file as it was at a git revision: `v2025:states/meridia.yaml`.

The same convention as `palermo catalog diff`, which reads a catalog folder at a revision: git
itself is asked (`git show`, fixed argv, no shell), and nothing is written to disk.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from palermo.answers import AnswersFile, load_answers
from palermo.errors import InputError

# An answers file of the four instruments is well under 1 MB; anything far larger at a
# revision is not an answers file and is refused before it is parsed.
MAX_BYTES = 8 * 1024 * 1024
GIT_TIMEOUT = 30


def split_revision(spec: str) -> tuple[str, str] | None:
    """('v2025', 'states/meridia.yaml') for 'v2025:states/meridia.yaml'; None for a plain path.

    An existing file always wins, so a file whose name holds a colon is still read as a file.
    """
    if Path(spec).exists() or ":" not in spec:
        return None
    revision, _, path = spec.partition(":")
    if not revision or not path:
        return None
    return revision, path


def _git_show(revision: str, path: str, shown: str) -> bytes:
    if revision.startswith("-"):
        # git would read it as an option (--output=FILE writes a file): never pass one on.
        raise InputError("a revision cannot start with '-' (e.g. v2025:states/meridia.yaml)",
                         path=shown)
    if Path(path).is_absolute():
        raise InputError("a file at a revision is named relative to the current folder "
                         f"(e.g. {revision}:states/meridia.yaml)", path=shown)
    relative = path if path.startswith(("./", "../")) else f"./{path}"
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv; the spec is passed as one argument
            ["git", "show", f"{revision}:{relative}"],  # noqa: S607
            capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed; give the answers file itself",
                         path=shown) from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git did not answer within {GIT_TIMEOUT} s", path=shown) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else "git could not read it"
        raise InputError(f"neither a file nor a file at a git revision ({reason.rstrip('.')})",
                         path=shown)
    if len(done.stdout) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MB: not an answers file",
                         path=shown)
    return done.stdout


def read_assessment(spec: str | Path) -> AnswersFile:
    """An answers file from a path, or from `REVISION:PATH` in the current git repository."""
    text = str(spec)
    parts = split_revision(text)
    if parts is None:
        return load_answers(Path(text))
    from palermo.answers import answers_from_document
    from palermo.schemacheck import check_schema
    from palermo.yamlio import parse_yaml

    raw = _git_show(*parts, shown=text)
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=text) from None
    doc = parse_yaml(decoded, text)
    if not isinstance(doc.data, dict):
        raise doc.error("expected a mapping with state, instruments and answers")
    check_schema(doc, "answers")
    return answers_from_document(doc)
