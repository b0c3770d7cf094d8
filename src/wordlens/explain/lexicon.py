"""Class lexicons: the words and phrases a bag-of-words classifier weighs most for each class,
as graded keyword hypotheses.

A TF-IDF + logistic regression is fitted on the texts it is given (the training texts of one
fold), and its most heavily weighted unigrams and bigrams on each side become hypotheses such
as "uses many of the 25 words typical of class 'spam' ('free', 'offer', ...)". Their judgment
is exact: the share of the listed words the text uses (keyword form with ``share``), so a
surrogate over a few of them carries most of what the bag of words knows, in words a reader
can check. Semantic groups of the same terms (by the sentence encoder) are offered as graded
hypotheses too, the more readable ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..textutil import words

SOURCE = "class lexicon (bag-of-words weights)"
#: lexicon sizes offered per side: short lists read well, long ones carry more signal
SIZES = (5, 10, 25, 50, 100, 200)
#: words quoted in a hypothesis's text (the full list is in its form)
SHOWN = 8


def ngrams(text: str) -> list[str]:
    """Unigrams and bigrams, tokenised as the exact keyword judge reads them."""
    ws = words(text)
    return ws + [f"{a} {b}" for a, b in zip(ws, ws[1:])]


#: a lexicon term is in at least this many texts, and this share of them: rarer terms get the
#: largest weights on the texts they are mined on and the least on new ones
MIN_DF, MIN_SHARE = 3, 0.02


def weighted_terms(texts: Sequence[str], y: np.ndarray, *, C: float = 1.0
                   ) -> tuple[list[str], np.ndarray]:
    """Terms (in at least :data:`MIN_DF` texts and :data:`MIN_SHARE` of them, not only stop
    words) and their weights in a TF-IDF + L2 logistic regression of ``y`` (positive: towards
    class 1)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    n = len(texts)
    min_df = max(min(MIN_DF, max(1, n // 20)), int(MIN_SHARE * n))
    vec = TfidfVectorizer(analyzer=ngrams, min_df=min_df, sublinear_tf=True)
    try:
        X = vec.fit_transform(list(texts))
    except ValueError:  # empty vocabulary
        return [], np.zeros(0)
    terms = list(vec.get_feature_names_out())
    w = LogisticRegression(C=C, max_iter=2000).fit(X, y).coef_[0]
    keep = [i for i, t in enumerate(terms) if not all(x in ENGLISH_STOP_WORDS
                                                      for x in t.split())]
    return [terms[i] for i in keep], w[keep]


def lexicon_candidates(texts: Sequence[str], target: np.ndarray, *, names: tuple[str, str]
                       = ("the explained class", "the other class"), encoder: Any = None,
                       group_distance: float = 0.6) -> list[Hypothesis]:
    """Graded keyword hypotheses from the bag-of-words weights of ``texts`` for the 0/1
    ``target``: each side's top terms in lists of :data:`SIZES`, and semantic groups of its
    top 50 terms (by ``encoder``, the default one if None)."""
    y = np.asarray(target).astype(int)
    if len(texts) < 4 or y.min() == y.max():
        return []
    terms, w = weighted_terms(texts, y)
    out: list[Hypothesis] = []
    for side, name in ((1, names[0]), (-1, names[1])):
        order = [i for i in np.argsort(-side * w) if side * w[i] > 0]
        top = [terms[i] for i in order]
        for size in SIZES:
            if len(top) >= size:
                out.append(_lexicon(top[:size], name))
        if len(top) >= 4:
            out += [_group(g, name) for g in _groups(top[:50], encoder, group_distance)
                    if len(g) >= 2]
    return out


def _lexicon(terms: list[str], name: str) -> Hypothesis:
    shown = ", ".join(f"'{t}'" for t in terms[:SHOWN])
    more = f" and {len(terms) - SHOWN} more" if len(terms) > SHOWN else ""
    text = (f"uses many of {len(terms)} words typical of {name} ({shown}{more}); judged by "
            "the share of them it uses")
    return Hypothesis(text, SOURCE, {"kind": "keywords", "words": list(terms), "share": True})


def _group(terms: list[str], name: str) -> Hypothesis:
    shown = ", ".join(f"'{t}'" for t in terms)
    text = f"uses many words like {shown} (typical of {name}; share of these it uses)"
    return Hypothesis(text, SOURCE, {"kind": "keywords", "words": list(terms), "share": True})


def _groups(terms: list[str], encoder: Any, distance: float) -> list[list[str]]:
    """Terms clustered by meaning (average-linkage on embedding cosine distance), in the
    order of their best-weighted member."""
    from sklearn.cluster import AgglomerativeClustering

    if encoder is None:
        from ..encoders import default_encoder

        encoder = default_encoder()
    vecs = np.asarray(encoder.encode(terms), dtype=float)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    dist = np.clip(1 - vecs @ vecs.T, 0, 2)
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=distance).fit_predict(dist)
    groups: dict[int, list[str]] = {}
    for t, lab in zip(terms, labels):
        groups.setdefault(int(lab), []).append(t)
    return list(groups.values())
