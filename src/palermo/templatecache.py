"""Compiled wording templates kept across runs, in Jinja2's own bytecode format.

Compiling the catalog's few hundred finding and report templates costs more than rendering
them. The compiled code of each template is kept by a hash of its source (Jinja2 checks
that hash and its own version on every load) in one entry of the user's cache
(palermo.cache), written only when `flush()` is called after a command succeeded.
"""

from __future__ import annotations

import hashlib
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from palermo import cache as usercache

_MAX_ENTRIES = 4000  # past this, keep only what the last run used


class TemplateCodeCache(BytecodeCache):
    """A Jinja2 bytecode cache whose buckets live in one entry of the user's cache."""

    def __init__(self) -> None:
        self.key = usercache.content_key("templates")
        found = usercache.load_object("templates", self.key)
        self.entries: dict[str, bytes] = found if isinstance(found, dict) else {}
        self.used: set[str] = set()
        self.dirty = False

    # Jinja2's interface, used by get_template() for templates in a folder.
    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.entries.get(bucket.key)
        if data is not None:
            self.used.add(bucket.key)
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.entries[bucket.key] = bucket.bytecode_to_string()
        self.used.add(bucket.key)
        self.dirty = True

    def compiled(self, environment: Any, source: str) -> Any:
        """The code of a template string, compiled once and kept (what from_string does)."""
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        bucket = Bucket(environment, "string-" + digest, digest)
        self.load_bytecode(bucket)
        if bucket.code is None:
            bucket.code = environment.compile(source)
            self.dump_bytecode(bucket)
        return bucket.code

    def save(self) -> None:
        if not self.dirty:
            return
        entries = self.entries
        if len(entries) > _MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        if usercache.store_object("templates", self.key, entries):
            self.dirty = False
