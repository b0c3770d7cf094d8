"""Active selection of (hypothesis, text) pairs for the teacher to label, under a budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..progress import phase

STRATEGIES = ("uncertainty", "disagreement", "random")


def acquisition_scores(member_logits: np.ndarray, strategy: str) -> np.ndarray:
    """Higher = more worth a teacher call. ``member_logits`` is [M x P] (one row per head).

    - uncertainty: closeness of the mean probability to 0.5 (1 - |2p - 1|);
    - disagreement: standard deviation of the heads' probabilities (query by committee),
      plus a small uncertainty term to break ties when heads agree;
    - random: zeros (the caller's tie-breaking noise decides).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")
    p = 1.0 / (1.0 + np.exp(-np.clip(member_logits, -40, 40)))
    unc = 1.0 - np.abs(2.0 * p.mean(axis=0) - 1.0)
    if strategy == "uncertainty":
        return unc
    if strategy == "disagreement":
        return p.std(axis=0) + 0.1 * unc
    return np.zeros(p.shape[1])


def select_top(scores: np.ndarray, k: int, groups: np.ndarray, *, max_per_group: int | None,
               rng: np.random.Generator, exclude: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``k`` best-scoring items, at most ``max_per_group`` per group (so one
    hypothesis cannot take the whole round), ties broken at random; ``exclude`` is a mask."""
    scores = np.asarray(scores, float) + rng.uniform(0, 1e-9, len(scores))
    if exclude is not None:
        scores = np.where(exclude, -np.inf, scores)
    order = np.argsort(-scores, kind="stable")
    order = order[np.isfinite(scores[order])]
    if max_per_group is None:
        return order[:k]
    taken: dict[int, int] = {}
    out = []
    for i in order:
        g = int(groups[i])
        if taken.get(g, 0) >= max_per_group:
            continue
        taken[g] = taken.get(g, 0) + 1
        out.append(i)
        if len(out) >= k:
            break
    return np.asarray(out, dtype=int)


@dataclass
class LabeledPairs:
    """Teacher labels of chosen pairs; ``round`` 0 is the random seed set."""

    t_idx: list[int] = field(default_factory=list)
    h_idx: list[int] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    round: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.y)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (np.asarray(self.t_idx, int), np.asarray(self.h_idx, int),
                np.asarray(self.y, float))


def ask_teacher(teacher: Judge, hypotheses: list[Hypothesis], texts: list[str],
                t_idx: np.ndarray, h_idx: np.ndarray) -> np.ndarray:
    """Teacher judgments of exactly these pairs: one call per hypothesis, on its texts.

    Costs ``len(t_idx)`` judgments whatever the teacher is (LLM, offline, test double)."""
    out = np.zeros(len(t_idx), dtype=float)
    for h in np.unique(h_idx):
        rows = np.flatnonzero(h_idx == h)
        out[rows] = teacher.judge([hypotheses[h]], [texts[t] for t in t_idx[rows]])[0]
    return out


def label_actively(teacher: Judge, hypotheses: list[Hypothesis], texts: list[str],
                   budget: int, score_pool: Callable[[LabeledPairs, np.ndarray, np.ndarray],
                                                     np.ndarray],
                   *, strategy: str = "uncertainty", rounds: int = 4,
                   seed_fraction: float = 0.3, max_pool: int = 200_000, seed: int = 0,
                   log: Callable[[str], None] | None = None) -> LabeledPairs:
    """Spend ``budget`` teacher judgments on pairs of ``hypotheses`` x ``texts``.

    Round 0 labels a random, hypothesis-stratified seed set (``seed_fraction`` of the
    budget); each later round refits via ``score_pool(labeled, t_idx, h_idx) -> [M x P]
    member logits`` and labels the pool pairs with the highest acquisition score. The pool
    is all pairs, or a random ``max_pool`` of them when larger.
    """
    rng = np.random.default_rng(seed)
    n_t, n_h = len(texts), len(hypotheses)
    total = n_t * n_h
    budget = int(min(budget, total))
    pool = (np.arange(total) if total <= max_pool
            else rng.choice(total, size=max_pool, replace=False))
    p_h, p_t = pool // n_t, pool % n_t
    used = np.zeros(len(pool), dtype=bool)
    labeled = LabeledPairs()
    n_seed = budget if strategy == "random" else max(2, int(round(budget * seed_fraction)))
    per_round = [n_seed] + _split_evenly(budget - n_seed, max(0, rounds - 1))
    with phase("labelling (teacher)", total=len(per_round), unit="rounds") as ph:
        for r, k in enumerate(per_round):
            if k <= 0:
                ph.advance()
                continue
            if r == 0:
                # stratified: shuffle within each hypothesis, then take round-robin
                scores = rng.uniform(size=len(pool))
                rank_in_h = _rank_within_groups(scores, p_h)
                pick = np.lexsort((scores, rank_in_h))[:k]
            else:
                logits = score_pool(labeled, p_t[~used], p_h[~used])
                acq = np.zeros(len(pool))
                acq[~used] = acquisition_scores(logits, strategy)
                cap = max(1, int(np.ceil(3 * k / max(1, n_h))))
                pick = select_top(acq, k, p_h, max_per_group=cap, rng=rng, exclude=used)
            y = ask_teacher(teacher, hypotheses, texts, p_t[pick], p_h[pick])
            used[pick] = True
            labeled.t_idx += p_t[pick].tolist()
            labeled.h_idx += p_h[pick].tolist()
            labeled.y += y.tolist()
            labeled.round += [r] * len(pick)
            if log:
                log(f"round {r}: labelled {len(pick)} pairs ({len(labeled)} of {budget}), "
                    f"{np.mean(y >= 0.5):.0%} positive")
            ph.advance()
        ph.done(f"{len(labeled):,} pairs labelled")
    return labeled


def _split_evenly(n: int, parts: int) -> list[int]:
    if parts <= 0:
        return []
    base, extra = divmod(n, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _rank_within_groups(scores: np.ndarray, groups: np.ndarray) -> np.ndarray:
    order = np.lexsort((scores, groups))
    ranks = np.zeros(len(scores), dtype=int)
    g_sorted = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(g_sorted)) + 1]
    counts = np.diff(np.r_[starts, len(order)])
    ranks[order] = np.arange(len(order)) - np.repeat(starts, counts)
    return ranks
