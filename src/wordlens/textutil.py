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


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9])"
                           r"|\n\s*")


def sentences(text: str) -> list[str]:
    """Split a text into sentences: after ., ! or ? followed by space and a capital letter or
    digit, and at line breaks. A rule, not a parser: abbreviations such as "Mr. Smith" split."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def passages(text: str, max_words: int = 60) -> list[str]:
    """Consecutive whole sentences packed into passages of at most ``max_words`` words (a
    single longer sentence is its own passage). A text of at most ``max_words`` words is one
    passage."""
    return list(_passages(text, max_words))


@lru_cache(maxsize=100_000)
def _passages(text: str, max_words: int) -> tuple[str, ...]:
    if len(text.split()) <= max_words:
        return (text,)
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for s in sentences(text):
        k = len(s.split())
        if cur and n + k > max_words:
            out.append(" ".join(cur))
            cur, n = [], 0
        cur.append(s)
        n += k
    if cur:
        out.append(" ".join(cur))
    return tuple(out) or (text,)
