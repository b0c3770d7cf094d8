"""Zero-shot judge from sentence embeddings: does the text sit closer to the hypothesis than to
most generic descriptions of what a text can be about?"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..encoders import EncoderUser, SentenceEncoder
from ..hypothesis import Hypothesis
from ..textutil import passages
from .base import Judge

_CONTRAST = re.compile(r"^(?P<x>.+?)[,;]?\s+(?:rather than|instead of|as opposed to|and not|"
                       r"but not)\s+(?P<y>.+)$", re.IGNORECASE)


#: long texts are split into passages from at most this many leading characters
PASSAGE_MAX_CHARS = 20_000

_PREDICATE_VERBS = {"is", "are", "was", "mentions", "uses", "expresses", "contains", "talks",
                    "describes", "discusses", "asks", "refers", "includes", "has", "makes",
                    "gives", "shows", "focuses", "praises", "criticizes", "criticises",
                    "complains", "reports", "addresses", "quotes", "recommends"}


def split_contrast(hypothesis: str) -> tuple[str, str | None]:
    """Split "X rather than Y" (also: instead of, as opposed to, and/but not) into X and a
    full predicate for Y that borrows X's verb ("is a post rather than a review" ->
    ("is a post", "is a review")). Returns (hypothesis, None) when there is no contrast."""
    m = _CONTRAST.match(hypothesis.strip())
    if not m:
        return hypothesis, None
    x, y = m.group("x").strip(), m.group("y").strip().rstrip(".")
    verb = x.split()[0]
    if y.split()[0].lower() not in _PREDICATE_VERBS:
        y = f"{verb} {y}"
    return x, y


@lru_cache(maxsize=1)
def reference_descriptions() -> tuple[str, ...]:
    """The generic topic/genre/tone inventory shipped in ``wordlens/data/topics.txt``."""
    raw = resources.files("wordlens").joinpath("data/topics.txt").read_text(encoding="utf-8")
    return tuple(dict.fromkeys(line.strip() for line in raw.splitlines()
                               if line.strip() and not line.startswith("#")))


class EmbeddingJudge(EncoderUser, Judge):
    """P(h holds for t) = sigmoid((cos(t, h) - r_k(t)) / temperature), where r_k(t) is the
    k-th highest similarity of t to a fixed inventory of generic descriptions.

    A contrast "X rather than Y" is judged as X, with the extra condition that the text is
    closer to X than to Y. ``text_encoder`` (default: ``encoder``) encodes the texts, e.g.
    a :class:`~wordlens.encoders.StaticTextEncoder` imitating ``encoder``. This is an
    approximation: a bi-encoder measures topical closeness, not truth. It reads
    topics and genres reasonably well and cannot reliably judge negation, counts or fine
    logical conditions. Use an LLM judge (``--judge-model``) where that matters.

    Long texts are judged by their parts: a text of more than ``passage_words`` words is split
    into passages of whole consecutive sentences of at most ``passage_words`` words
    (:func:`wordlens.textutil.passages`); each passage is judged as above, and the text's
    probability is the mean over its best half of passages (at least one): the hypothesis
    holds for a long text when it holds for a good part of it. Only the first
    :data:`PASSAGE_MAX_CHARS` characters are split (a length cap). ``passage_words=None``
    embeds whole texts.
    """

    name = "zero-shot embedding (all-MiniLM-L6-v2)"

    def __init__(self, encoder: SentenceEncoder | None = None, *, k: int = 5,
                 temperature: float = 0.02, template: str = "This text {h}.",
                 references: Sequence[str] | None = None, text_encoder=None,
                 passage_words: int | None = 60):
        super().__init__()
        self.encoder = encoder
        self.text_encoder = text_encoder
        self.k = k
        self.temperature = temperature
        self.template = template
        self.references = references
        self.passage_words = passage_words

    def _reference_threshold(self, text_vecs: np.ndarray) -> np.ndarray:
        refs = list(self.references) if self.references is not None else list(
            reference_descriptions())
        ref_vecs = self._enc().encode([self.phrase(r) for r in refs])
        sims = text_vecs @ ref_vecs.T  # [N x R]
        k = min(self.k, sims.shape[1])
        return -np.partition(-sims, k - 1, axis=1)[:, k - 1]

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        if self.passage_words is None:
            return self._judge_units(hypotheses, texts)
        units, owner = [], []
        for i, text in enumerate(texts):
            parts = passages(text[:PASSAGE_MAX_CHARS], self.passage_words)
            units += parts
            owner += [i] * len(parts)
        if len(units) == len(texts):
            return self._judge_units(hypotheses, texts)
        return aggregate_passages(self._judge_units(hypotheses, units), np.asarray(owner),
                                  len(texts))

    def _judge_units(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        enc = self._enc()
        t = (self.text_encoder or enc).encode(texts)
        parts = [split_contrast(x.text) for x in hypotheses]
        h = enc.encode([self.phrase(x) for x, _ in parts])
        thresh = self._reference_threshold(t)
        bar = np.repeat(thresh[None, :], len(hypotheses), axis=0)
        contrast_idx = [i for i, (_, y) in enumerate(parts) if y is not None]
        if contrast_idx:
            # "X rather than Y": X must also beat Y for this text
            y = enc.encode([self.phrase(parts[i][1]) for i in contrast_idx])
            bar[contrast_idx] = np.maximum(bar[contrast_idx], y @ t.T)
        z = (h @ t.T - bar) / self.temperature
        return 1.0 / (1.0 + np.exp(-z))

    def caveat(self) -> str | None:
        return ("Hypotheses with a programmatic form (properties, keyword lists) are judged "
                "exactly; free-text hypotheses are judged by a zero-shot embedding "
                "similarity, an approximation of truth. Use an LLM judge for reading.")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__, "encoder": self._enc().name,
                "k": self.k, "temperature": self.temperature,
                "passage_words": self.passage_words,
                "long_texts": None if self.passage_words is None else
                "mean over the best half of passages of whole sentences", "approximation": True}


def aggregate_passages(p: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
    """[H x U] passage probabilities -> [H x N] text probabilities: the mean over each text's
    best ceil(m/2) of its m passages (``owner[u]`` is the text of passage u, in order)."""
    out = np.empty((p.shape[0], n_texts))
    bounds = np.searchsorted(owner, np.arange(n_texts + 1))
    for i in range(n_texts):
        block = p[:, bounds[i]:bounds[i + 1]]
        m = block.shape[1]
        if m == 1:
            out[:, i] = block[:, 0]
            continue
        k = (m + 1) // 2
        out[:, i] = -np.partition(-block, k - 1, axis=1)[:, :k].mean(axis=1)
    return out
