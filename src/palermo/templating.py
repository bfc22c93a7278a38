"""Jinja2 rendering of catalog and report wording, always in a sandbox, within a budget.

Templates come from catalogs and organisations' folders we do not control, so they are
rendered by a SandboxedEnvironment with StrictUndefined: a typo in a variable name is an
error, not silently empty text, and no template can reach Python internals.

The sandbox stops code from escaping, not from running long or growing large, so every
rendering also has a budget (`limits`): the template's size, the rendered text's size, time,
memory, and the numbers a template may pass to operations that build text. A template over
budget, or one that fails in any other way, gives a one-line error naming it.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from functools import cache, wraps
from pathlib import Path
from typing import Any

from palermo.errors import InputError, cut

MAX_SOURCE = 100_000        # characters of one template (the bundled ones: under 3,000)
MAX_OUTPUT = 1_000_000      # characters one rendering may produce
MAX_SIZE = 100_000          # widths, counts and repeats a template may ask for
MAX_SECONDS = 1.0           # CPU seconds of one rendering (the bundled ones: under 1 ms)
MAX_SLOW_SECONDS = 3.0      # CPU seconds of all slow renderings of one process together
MAX_MEMORY = 256 * 1024 * 1024  # address space one rendering may add (Linux)
_SLOW = 0.02                # a rendering slower than this counts against MAX_SLOW_SECONDS


class _OverBudget(BaseException):
    """A rendering went over one of its limits; the message says which.

    A BaseException, so that no `except Exception` inside Jinja or a filter swallows it.
    """


def _refuse(message: str) -> None:
    raise _OverBudget(message)


def _check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
        _refuse(f"the number {cut(str(value), 20)} is larger than a template may use "
                f"({MAX_SIZE:,})")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _check_result(value: Any) -> Any:
    if _length(value) > MAX_OUTPUT:
        _refuse(f"builds a text or list longer than {MAX_OUTPUT:,}")
    return value


# Widths and precisions in printf-style (%10s) and format-style ({:>10}) specifications.
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_NUMBERS = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)")


def _check_format(text: Any) -> None:
    if not isinstance(text, str):
        return
    for match in _PERCENT_SPEC.finditer(text):
        for group in match.groups():
            if group == "*":
                _refuse("a '*' width in a format string is not allowed")
            if group and int(group) > MAX_SIZE:
                _refuse(f"a format width of {cut(group, 20)} is larger than a template may use")
    for match in _FORMAT_NUMBERS.finditer(text):
        if int(match.group(1)) > MAX_SIZE:
            _refuse(f"a format width of {cut(match.group(1), 20)} is larger than a template "
                    "may use")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "**":
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            base = abs(left)
            if base > 1 and right > 0 and right * math.log2(base) > 4096:
                _refuse("a power too large to compute")
    elif operator == "*":
        for seq, count in ((left, right), (right, left)):
            if _length(seq) and isinstance(count, int) and _length(seq) * count > MAX_OUTPUT:
                _refuse(f"repeats a text or list beyond {MAX_OUTPUT:,} characters")
        if isinstance(left, int) and isinstance(right, int) and (
                left.bit_length() + right.bit_length() > 4096):
            _refuse("a product too large to compute")
    elif operator == "%":
        _check_format(left)
    elif operator == "+" and _length(left) + _length(right) > MAX_OUTPUT:
        _refuse(f"joins texts beyond {MAX_OUTPUT:,} characters")


_GROWING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "replace"}


def _check_call(obj: Any, args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        _check_number(value)
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, str) and name in _GROWING_METHODS:
        if name == "replace" and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            grows = owner.count(old) if old else len(owner) + 1
            if len(owner) + grows * max(len(new) - len(old), 0) > MAX_OUTPUT:
                _refuse(f"replaces into a text longer than {MAX_OUTPUT:,} characters")
        elif name == "expandtabs" and owner.count("\t") * (args[0] if args else 8) > MAX_OUTPUT:
            _refuse(f"expands tabs into a text longer than {MAX_OUTPUT:,} characters")


def _bounded_filter(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            _check_number(value)
        if name == "format":
            for value in args:
                _check_format(value)
        if name == "replace":
            strings = [a for a in args if isinstance(a, str)]
            if len(strings) >= 3:
                _check_call(strings[0].replace, tuple(strings[1:3]), {})
        return _check_result(function(*args, **kwargs))

    return bounded


def _sandbox_class() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox, checking the size of what each operation would build."""

        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return _check_result(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805
                 **kwargs: Any) -> Any:
            _check_call(__obj, args, kwargs)
            return _check_result(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                _check_format(value.__self__)
            return wrapped

    return BoundedSandbox


def _folder_loader(folder: str) -> Any:
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    root = os.path.realpath(folder)

    class FolderLoader(BaseLoader):
        """Templates from one folder only: no link out of it, no FIFO, nothing oversized."""

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            path = os.path.join(folder, *split_template_path(template))
            real = os.path.realpath(path)
            if os.path.commonpath([root, real]) != root:
                raise InputError("is a link to a file outside the templates folder; templates "
                                 "are read only from inside it", path=path)
            if not os.path.isfile(real):
                raise TemplateNotFound(template)
            from palermo.yamlio import read_text

            source = read_text(path, what="a template", max_bytes=MAX_SOURCE)
            mtime = os.path.getmtime(real)
            return source, path, lambda: os.path.getmtime(real) == mtime

    return FolderLoader()


@cache
def _code_cache() -> Any:
    # Compiled templates are kept across runs (palermo.cache), saved once a command succeeded.
    from palermo import cache as usercache
    from palermo.templatecache import TemplateCodeCache

    store = TemplateCodeCache()
    usercache.on_success(store.save)
    return store


@cache
def _environment(search_path: str | None = None) -> Any:
    from jinja2 import StrictUndefined

    loader = _folder_loader(search_path) if search_path else None
    # Output is plain text placed into DOCX/Markdown runs, never raw HTML: the HTML writer
    # escapes it itself, so autoescape here would double-escape.
    env = _sandbox_class()(  # noqa: S701 - plain text, escaped by each writer
        undefined=StrictUndefined, loader=loader, keep_trailing_newline=False,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=_code_cache(),
    )
    env.globals.pop("lipsum", None)  # builds any amount of text; no wording needs it
    env.filters = {name: _bounded_filter(f, name) for name, f in env.filters.items()}
    return env


def prepare() -> None:
    """Import Jinja2 and set up the sandboxed environment now (before forking): templates are
    compiled when first rendered."""
    _environment()


@cache
def _compiled(source: str) -> Any:
    # The same catalog wording is rendered for every State: compile it once, and keep it.
    env = _environment()
    code = _code_cache().compiled(env, source)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


# `{{ name }}` and nothing else: most catalog wording only names the State.
_PLAIN_NAME = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@cache
def _pieces(source: str) -> tuple[str, ...] | None:
    """Text and variable names alternating, when the template is nothing more; else None."""
    if "{%" in source or "{#" in source:
        return None
    pieces = tuple(_PLAIN_NAME.split(source.replace("\r\n", "\n").replace("\r", "\n")))
    if any("{{" in text for text in pieces[::2]):
        return None
    return pieces


def _substituted(source: str, context: dict[str, Any]) -> str | None:
    """What Jinja would render for a template of plain names bound to text, without Jinja."""
    pieces = _pieces(source)
    if pieces is None:
        return None
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            value = context.get(piece)
            if not isinstance(value, str):
                return None  # undefined, or not text: Jinja decides (and reports)
            piece = value
        out.append(piece)
    return "".join(out)


_slow_seconds = 0.0


def _on_alarm(signum: int, frame: Any) -> None:
    raise _OverBudget(f"takes longer than {MAX_SECONDS:g} s to render (a loop without end?)")


@contextlib.contextmanager
def _time_budget() -> Iterator[None]:
    """Interrupt a rendering that runs too long (main thread of a POSIX system only).

    Time is CPU time (ITIMER_PROF), not wall time: on a busy machine a report waits for a
    core, and that waiting must not count against its templates.
    """
    global _slow_seconds
    if _slow_seconds >= MAX_SLOW_SECONDS:
        _refuse("renders too slowly: templates have used up their time")
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    start = time.process_time()
    previous = None
    if usable:
        previous = signal.signal(signal.SIGPROF, _on_alarm)
        signal.setitimer(signal.ITIMER_PROF, min(MAX_SECONDS, MAX_SLOW_SECONDS - _slow_seconds))
    try:
        yield
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
        spent = time.process_time() - start
        if spent > _SLOW:
            _slow_seconds += spent


@contextlib.contextmanager
def _memory_budget() -> Iterator[None]:
    """Cap the address space while rendering, so that runaway growth is a MemoryError."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            in_use = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        yield  # not Linux: the size checks still hold
        return
    cap = in_use + MAX_MEMORY
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    limit = cap if hard == resource.RLIM_INFINITY else min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _describe(exc: BaseException) -> str:
    from jinja2 import TemplateError

    if isinstance(exc, _OverBudget):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply, or a macro that calls itself without end"
    if isinstance(exc, MemoryError):
        return f"uses more than {MAX_MEMORY // 2**20} MB of memory"
    if isinstance(exc, OverflowError) and "range" in str(exc).lower():
        return f"range too large (at most {MAX_SIZE:,} items)"
    if isinstance(exc, TemplateError):
        return cut(str(exc), 200)
    return cut(f"{type(exc).__name__}: {exc}", 200)


def _render(load: Callable[[], Any], context: dict[str, Any]) -> str:
    """Compile (once) and render within the budget: the text, stripped."""
    with _time_budget(), _memory_budget():
        parts: list[str] = []
        size = 0
        for chunk in load().generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                _refuse(f"renders more than {MAX_OUTPUT:,} characters")
            parts.append(chunk)
        return "".join(parts).strip()


def _line(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    return lineno if isinstance(lineno, int) else None


def render_string(source: str, context: dict[str, Any], *, where: str) -> str:
    """Render one template string; `where` names its origin for error messages."""
    if len(source) > MAX_SOURCE:
        raise InputError(f"template error: the template is longer than {MAX_SOURCE:,} "
                         "characters", ident=where)
    quick = _substituted(source, context)
    if quick is not None and len(quick) <= MAX_OUTPUT:
        return quick.strip()
    try:
        return _render(lambda: _compiled(source), context)
    except InputError:
        raise
    except (Exception, _OverBudget) as exc:  # noqa: BLE001 - any failure of someone else's template is theirs
        raise InputError(f"template error: {_describe(exc)}", ident=where) from None


def render_file(directory: Path, name: str, context: dict[str, Any]) -> str:
    """Render a named template from a folder (report wording)."""
    env = _environment(str(directory))
    try:
        return _render(lambda: env.get_template(name), context)
    except InputError:
        raise
    except (Exception, _OverBudget) as exc:  # noqa: BLE001 - any failure of someone else's template is theirs
        raise InputError(f"template error: {_describe(exc)}", path=str(directory / name),
                         line=_line(exc)) from None
