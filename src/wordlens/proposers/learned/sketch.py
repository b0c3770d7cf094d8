"""A surface sketch of texts: hashed presence of words, word shapes, punctuation and length.

Sentence embeddings read topics well but barely see surface form (a question mark, quotation
marks, ALL-CAPS words, "you"). The sketch is a second, bank-independent summary: each text
becomes a binary vector of ``N_FEATURES`` hashed features, computed once per text (no judge
calls, cost independent of the bank). A pair is summarised by the share of texts with each
feature on each side; :func:`sketch_z` turns two shares into per-feature two-proportion
z-scores.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

#: non-word features (punctuation, shapes, length, case) hash into the first N_SURFACE slots,
#: words into the rest, so that long texts full of words cannot drown a question mark
N_SURFACE = 256
N_WORDS = 4096
N_FEATURES = N_SURFACE + N_WORDS
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
#: words with an inner apostrophe (it's, don't) are also features of their own, so that a
#: keyword hypothesis about them has a feature to rest on
_CONTRACTION = re.compile(r"\w+'\w+", re.UNICODE)


def _bucket(n: int) -> str:
    for cut in (8, 15, 30, 80, 200):
        if n < cut:
            return f"len<{cut}"
    return "len>=200"


def text_features(text: str) -> set[str]:
    """The named features of one text (before hashing)."""
    toks = _TOKEN.findall(text)
    words = [t for t in toks if t[0].isalnum()]
    feats = {_bucket(len(words))}
    for t in toks:
        if not t[0].isalnum():
            feats.add("c:" + t)
            continue
        low = t.lower()
        feats.add("w:" + low)
        if t.isdigit():
            feats.add("shape:digits")
        elif len(t) >= 3 and t.isupper():
            feats.add("shape:CAPS")
        elif t[0].isupper():
            feats.add("shape:Capitalised")
        if re.search(r"([a-z])\1\1", low):
            feats.add("shape:elongated")
    feats.update("w:" + w.lower() for w in _CONTRACTION.findall(text))
    letters = [c for c in text if c.isalpha()]
    if letters and not any(c.isupper() for c in letters):
        feats.add("case:lower-only")
    return feats


def feature_index(name: str) -> int:
    h = zlib.crc32(name.encode("utf-8"))
    if name.startswith("w:"):
        return N_SURFACE + h % N_WORDS
    return h % N_SURFACE


def sketch(texts: Iterable[str]) -> np.ndarray:
    """Binary matrix [N x N_FEATURES]."""
    texts = list(texts)
    out = np.zeros((len(texts), N_FEATURES), dtype=np.float32)
    for i, t in enumerate(texts):
        for f in text_features(t):
            out[i, feature_index(f)] = 1.0
    return out


def keyword_vector(words: Sequence[str]) -> np.ndarray:
    """Unit vector on the hashed word features of a keyword list (a prior for keyword
    hypotheses; multi-word phrases use their words)."""
    v = np.zeros(N_FEATURES, dtype=np.float32)
    for phrase in words:
        for w in phrase.lower().split():
            v[feature_index("w:" + w)] = 1.0
    n = np.linalg.norm(v)
    return v / n if n else v


def feature_contrast(holds: np.ndarray, sketches: np.ndarray, *, min_count: int = 5,
                     top: int = 32) -> np.ndarray:
    """For each hypothesis (row of ``holds``, [H x N] booleans over N texts), the sketch
    features that separate texts where it holds from texts where it does not: the
    :func:`sketch_z` of the two groups, keeping the ``top`` largest |z| and scaled to unit
    length. Rows with fewer than ``min_count`` texts in either group are zero. A data-driven
    prior for the sketch weights of hypotheses without a keyword list (a property such as
    'asks a question' rests on the '?' feature)."""
    holds = np.asarray(holds, dtype=bool)
    x = np.asarray(sketches, dtype=np.float32)
    out = np.zeros((holds.shape[0], x.shape[1]), dtype=np.float32)
    n_pos = holds.sum(axis=1)
    n_neg = holds.shape[1] - n_pos
    total = x.sum(axis=0)
    for i in np.flatnonzero((n_pos >= min_count) & (n_neg >= min_count)):
        s_pos = x[holds[i]].sum(axis=0)
        z = sketch_z(s_pos / n_pos[i], (total - s_pos) / n_neg[i], int(n_pos[i]),
                     int(n_neg[i]))
        if top < z.size:
            z[np.argsort(-np.abs(z))[top:]] = 0.0
        n = np.linalg.norm(z)
        if n > 0:
            out[i] = z / n
    return out


def sketch_z(share_a: np.ndarray, share_b: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Per-feature two-proportion z-scores (A minus B), clipped to [-10, 10] and divided by
    10, so each lies in [-1, 1]."""
    pooled = (share_a * n_a + share_b * n_b) / (n_a + n_b)
    se = np.sqrt(np.maximum(pooled * (1 - pooled), 1.0 / (n_a + n_b)) * (1 / n_a + 1 / n_b))
    return np.clip((share_a - share_b) / se, -10, 10) / 10.0
