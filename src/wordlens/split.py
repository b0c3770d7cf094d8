"""The seeded texts a run uses: a sample of each corpus and its proposal / validation halves.

A :class:`Split` is drawn once by ``diff`` (``bench`` runs diff) and passed to whoever needs
the same texts afterwards (``--confirm-with``, ``--replay``, ``--decompose``, the benchmark's
truth matching: ``result.split_``), so none of them re-draws a diff's sample its own way.
``explain`` and ``distill`` take no Split: they draw their own samples with
:func:`sample_indices` / :func:`sample_texts` (explain: proposal and evaluation texts
stratified by the classifier's prediction; distill: a sample of each corpus).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError


def sample_indices(n: int, k: int | None, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of at most ``k`` of ``n`` items, drawn without replacement."""
    if k is None or n <= k:
        return np.arange(n)
    return np.sort(rng.choice(n, size=k, replace=False))


def sample_texts(texts: Sequence[str], k: int | None, rng: np.random.Generator) -> list[str]:
    """At most ``k`` of ``texts``, drawn without replacement, kept in their original order."""
    texts = list(texts)
    return [texts[i] for i in sample_indices(len(texts), k, rng)]


def split_halves(n: int, proposal_fraction: float, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Seeded, disjoint proposal and validation indices (validation is shuffled)."""
    perm = rng.permutation(n)
    k = int(round(n * proposal_fraction))
    k = min(max(k, 2), n - 2)
    return perm[:k], perm[k:]


@dataclass(frozen=True)
class Split:
    """Texts of corpora A and B as one run uses them.

    ``a`` / ``b`` are the (possibly sampled, ``max_texts``) texts; ``proposal_*`` are the texts
    proposers may read and ``validation_*`` the held-out texts every statistic is measured on.
    """

    a: list[str]
    b: list[str]
    proposal_a: list[str]
    proposal_b: list[str]
    validation_a: list[str]
    validation_b: list[str]
    seed: int
    proposal_fraction: float
    max_texts: int | None

    @classmethod
    def draw(cls, texts_a: Sequence[str], texts_b: Sequence[str], *, seed: int = 0,
             proposal_fraction: float = 0.5, max_texts: int | None = None,
             min_texts: int = 10, names: tuple[str, str] = ("A", "B")) -> Split:
        """Sample at most ``max_texts`` per corpus, then split each into proposal and
        validation parts, all from one generator seeded with ``seed``."""
        if not 0 < proposal_fraction < 1:
            raise InputError(f"proposal_fraction must be between 0 and 1, got "
                             f"{proposal_fraction}")
        if max_texts is not None and max_texts < 1:
            raise InputError(f"max_texts must be at least 1, got {max_texts}")
        rng = np.random.default_rng(seed)
        ta, tb = sample_texts(texts_a, max_texts, rng), sample_texts(texts_b, max_texts, rng)
        for label, texts in zip(names, (ta, tb)):
            if len(texts) < min_texts:
                raise InputError(f"corpus {label}: {len(texts)} texts; wordlens needs at least "
                                 f"{min_texts} per corpus (part to propose, part to verify)")
        pa, va = split_halves(len(ta), proposal_fraction, rng)
        pb, vb = split_halves(len(tb), proposal_fraction, rng)
        return cls(a=ta, b=tb, proposal_a=[ta[i] for i in pa], proposal_b=[tb[i] for i in pb],
                   validation_a=[ta[i] for i in va], validation_b=[tb[i] for i in vb],
                   seed=seed, proposal_fraction=proposal_fraction, max_texts=max_texts)

    def describe(self) -> dict[str, int]:
        return {"n_a": len(self.a), "n_b": len(self.b),
                "n_proposal_a": len(self.proposal_a), "n_proposal_b": len(self.proposal_b),
                "n_validation_a": len(self.validation_a),
                "n_validation_b": len(self.validation_b)}
