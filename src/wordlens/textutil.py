"""Small text helpers shared by proposers and judges."""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"[a-z][a-z0-9'\-]*[a-z0-9]|[a-z]", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits, inner apostrophes and hyphens)."""
    return [w.lower().strip("'") for w in WORD_RE.findall(text)]


@lru_cache(maxsize=200_000)
def token_set(text: str) -> frozenset[str]:
    """Set of unigrams and bigrams ("a b") of a text, for fast keyword membership."""
    ws = words(text)
    grams = set(ws)
    grams.update(f"{a} {b}" for a, b in zip(ws, ws[1:]))
    grams.update(f"{a} {b} {c}" for a, b, c in zip(ws, ws[1:], ws[2:]))
    return frozenset(grams)


def truncate(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
