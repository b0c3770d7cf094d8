"""One persistent cache for expensive calls (model requests, text encodings)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def default_cache_dir() -> Path:
    """``$WORDLENS_CACHE_DIR`` or ``~/.cache/wordlens``."""
    env = os.environ.get("WORDLENS_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "wordlens"


def request_key(namespace: str, payload: Any) -> str:
    """A stable key for a request: namespace (model) + SHA-256 of the canonical JSON payload."""
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return namespace + ":" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Cache:
    """A small key-value store on disk (diskcache/SQLite), safe across processes and crashes.

    Every finished call is committed before the next one starts, so a run killed with
    ``kill -9`` and started again repeats no finished call.
    """

    def __init__(self, directory: str | Path | None = None, size_limit_gb: float = 8.0):
        import diskcache

        self.directory = Path(directory) if directory else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._store = diskcache.Cache(str(self.directory), size_limit=int(size_limit_gb * 2**30))
        self.hits = 0
        self.misses = 0

    def get(self, key: str, default: Any = None) -> Any:
        value = self._store.get(key, default=_MISSING)
        if value is _MISSING:
            self.misses += 1
            return default
        self.hits += 1
        return value

    def set(self, key: str, value: Any) -> None:
        self._store.set(key, value)

    def __contains__(self, key: str) -> bool:
        return key in self._store

    def values(self) -> Iterator[Any]:
        """Every stored value (no hit/miss counting)."""
        for key in list(self._store):
            value = self._store.get(key, default=_MISSING)
            if value is not _MISSING:
                yield value

    def transact(self):
        """Group many writes into one transaction (much faster on disk)."""
        return self._store.transact()

    def close(self) -> None:
        self._store.close()


_MISSING = object()
