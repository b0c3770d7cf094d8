"""Contrastive phrases and concepts: words and phrases that one side uses more often, grouped
by meaning with the sentence encoder."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..encoders import SentenceEncoder, default_encoder
from ..hypothesis import Hypothesis
from .base import Proposer


class ContrastivePhraseProposer(Proposer):
    """Finds unigrams and bigrams whose document frequency differs most between A and B
    (two-proportion z-score on the proposal half), then groups them into concepts by
    embedding similarity and co-occurrence.

    Each candidate is a keyword hypothesis ("uses words related to 'film' such as 'film',
    'movie', 'director'") whose programmatic form is the keyword list, so the offline judge
    checks it exactly.
    """

    name = "contrastive phrases"

    def __init__(self, encoder: SentenceEncoder | None = None, *, max_terms_per_side: int = 40,
                 min_z: float = 3.0, min_df: int = 3, group_distance: float = 0.55,
                 max_group_size: int = 8):
        self.encoder = encoder
        self.max_terms_per_side = max_terms_per_side
        self.min_z = min_z
        self.min_df = min_df
        self.group_distance = group_distance
        self.max_group_size = max_group_size

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        terms, z, presence = self.term_statistics(list(a), list(b))
        out: list[Hypothesis] = []
        for side in (1, -1):
            idx = [i for i in np.argsort(-side * z) if side * z[i] >= self.min_z]
            idx = idx[: self.max_terms_per_side]
            if not idx:
                continue
            for group in self._group([terms[i] for i in idx], presence[:, idx], z[idx]):
                out.append(self._hypothesis(group))
        return out

    # -- steps -------------------------------------------------------------------------------
    def term_statistics(self, a: list[str], b: list[str]):
        """Unigrams and bigrams (stop words dropped) with their two-proportion z-score
        (positive: more often in A) and the binary texts x terms presence matrix (A first).
        The last few results are kept, so proposers that share the miner count once."""
        return _term_statistics(tuple(a), tuple(b), self.min_df)

    def _group(self, terms: list[str], presence, z: np.ndarray) -> list[list[str]]:
        """Merge terms that mean the same (embedding) or occur together (Jaccard >= 0.8)."""
        n = len(terms)
        if n == 1:
            return [terms]
        enc = self.encoder or default_encoder()
        vecs = enc.encode(terms)
        sim = vecs @ vecs.T
        p = presence.toarray().astype(bool) if hasattr(presence, "toarray") else presence
        inter = p.T.astype(int) @ p.astype(int)
        sizes = np.diag(inter)
        jacc = inter / np.maximum(sizes[:, None] + sizes[None, :] - inter, 1)
        dist = np.clip(1 - sim, 0, 2)
        dist[jacc >= 0.8] = 0.0
        np.fill_diagonal(dist, 0.0)
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed",
                                         linkage="average",
                                         distance_threshold=self.group_distance).fit_predict(dist)
        groups: dict[int, list[int]] = {}
        for i, lab in enumerate(labels):
            groups.setdefault(int(lab), []).append(i)
        out = []
        for members in groups.values():
            members.sort(key=lambda i: -abs(z[i]))
            out.append([terms[i] for i in members[: self.max_group_size]])
            # strong single terms are worth testing on their own too
            if len(members) > 1:
                out.extend([[terms[i]] for i in members[:2]])
        out.sort(key=lambda g: -max(abs(z[terms.index(t)]) for t in g))
        uniq, seen = [], set()
        for g in out:
            key = tuple(sorted(g))
            if key not in seen:
                seen.add(key)
                uniq.append(g)
        return uniq

    def _hypothesis(self, group: list[str]) -> Hypothesis:
        quoted = ", ".join(f"'{t}'" for t in group)
        if len(group) == 1:
            kind = "phrase" if " " in group[0] else "word"
            text = f"uses the {kind} {quoted}"
        else:
            text = f"uses words related to '{group[0]}', such as {quoted}"
        return Hypothesis(text, self.name, {"kind": "keywords", "words": list(group)})


@lru_cache(maxsize=2)
def _term_statistics(a: tuple[str, ...], b: tuple[str, ...], min_df: int):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    docs = list(a) + list(b)
    min_df = min(min_df, max(1, len(docs) // 20))
    vec = CountVectorizer(binary=True, ngram_range=(1, 2), min_df=min_df, lowercase=True,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9']*[a-zA-Z0-9]\b")
    try:
        x = vec.fit_transform(docs).tocsc()
    except ValueError:  # empty vocabulary
        return [], np.zeros(0), np.zeros((len(docs), 0))
    terms = vec.get_feature_names_out()
    keep = np.array([not all(w in ENGLISH_STOP_WORDS for w in t.split()) for t in terms])
    x = x[:, keep]
    terms = [t for t, k in zip(terms, keep) if k]
    na, nb = len(a), len(b)
    dfa = np.asarray(x[:na].sum(axis=0)).ravel()
    dfb = np.asarray(x[na:].sum(axis=0)).ravel()
    pa, pb = dfa / na, dfb / nb
    pooled = (dfa + dfb) / (na + nb)
    se = np.sqrt(np.maximum(pooled * (1 - pooled), 1e-12) * (1 / na + 1 / nb))
    z = (pa - pb) / se
    return terms, z, x
