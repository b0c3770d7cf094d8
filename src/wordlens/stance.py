"""Stance toward a named target, approximated by the sentiment of the sentences that name it
(``speaks favourably / critically of``), and the sentences a stance statement ("argues
against TARGET") is judged on (:func:`target_passage`).

A text "speaks favourably of TARGET" when the sentences that mention one of the target's words
(whole words, any case) have a mean VADER compound score of at least +0.05, and "speaks
critically of TARGET" when it is at most -0.05 (VADER's own thresholds for positive and
negative). A text that does not mention the target holds neither. This is an approximation of
stance: it reads the tone of the sentences around the name, so irony, sentiment aimed at
something else in the same sentence and negated praise are misread.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .properties import vader_compound
from .textutil import sentences, words

POLARITIES = ("favourable", "critical")
#: the sides of a stance statement, "argues for / against TARGET"
ARGUES = ("for", "against")
THRESHOLD = 0.05


@lru_cache(maxsize=50_000)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((s, frozenset(words(s))) for s in sentences(text))


def target_sentiment(text: str, target_words: Sequence[str]) -> float | None:
    """Mean VADER compound of the sentences naming the target; None when none names it."""
    vocab = frozenset(w.lower() for w in target_words)
    scores = [vader_compound(s) for s, ws in _sentences(text) if not vocab.isdisjoint(ws)]
    return sum(scores) / len(scores) if scores else None


def stance_holds(text: str, target_words: Sequence[str], polarity: str) -> float:
    """1.0 when the text speaks favourably / critically of the target (see module doc)."""
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, got {polarity!r}")
    s = target_sentiment(text, target_words)
    if s is None:
        return 0.0
    return float(s >= THRESHOLD) if polarity == "favourable" else float(s <= -THRESHOLD)


def stance_text(name: str, polarity: str) -> str:
    """The hypothesis in words."""
    verb = "speaks favourably of" if polarity == "favourable" else "speaks critically of"
    return f"{verb} {name}"


def target_passage(text: str, target_words: Sequence[str]) -> str | None:
    """The text's sentences that name the target, joined; None when none does."""
    vocab = frozenset(w.lower() for w in target_words)
    named = [s for s, ws in _sentences(text) if not vocab.isdisjoint(ws)]
    return " ".join(named) if named else None


def argues_text(name: str, side: str) -> str:
    """The stance statement in words: "argues for NAME" / "argues against NAME"."""
    if side not in ARGUES:
        raise ValueError(f"side must be one of {ARGUES}, got {side!r}")
    return f"argues {side} {name}"
