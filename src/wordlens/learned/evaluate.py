"""How well and how cheaply the learned proposer finds what exhaustive search finds.

Both methods work over the same bank and judge:

- exhaustive search judges every bank hypothesis on every text of the pair and ranks by
  |validity|; judge calls = |bank| x (n_A + n_B);
- the learned proposer ranks the bank from the pair summary (encoder only, no judge calls) and
  verifies its top k; judge calls = k x (n_A + n_B).

recall@k = share of problems whose true hypothesis is in a method's top k. A random ranking of
the bank is reported as the floor. Wall time: text encodings are shared (cached) by both, and
the per-text caches of the exact judges (VADER, token sets) are cleared before each method, so
each pays for its own judging.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..proposers.learned.model import LearnedProposer
from .search import verify_all
from .synthetic import Problem

KS = (1, 5, 10)


@dataclass
class MethodStats:
    recall: dict[int, float]
    judge_calls: int
    wall_s: float

    def to_dict(self) -> dict[str, Any]:
        return {"recall": {str(k): round(v, 4) for k, v in self.recall.items()},
                "judge_calls": self.judge_calls, "wall_s": round(self.wall_s, 3)}


@dataclass
class Evaluation:
    """Learned proposer vs exhaustive search (and a random ranking) on a set of problems."""

    name: str
    n_problems: int
    bank_size: int
    k: int
    learned: MethodStats
    exhaustive: MethodStats
    random: MethodStats
    per_problem: list[dict[str, Any]] = field(default_factory=list)

    @property
    def call_ratio(self) -> float:
        return self.exhaustive.judge_calls / max(self.learned.judge_calls, 1)

    @property
    def speed_ratio(self) -> float:
        return self.exhaustive.wall_s / max(self.learned.wall_s, 1e-9)

    @property
    def relative_recall(self) -> float:
        ex = self.exhaustive.recall[self.k]
        return self.learned.recall[self.k] / ex if ex > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "n_problems": self.n_problems, "bank_size": self.bank_size,
                "k": self.k, "learned": self.learned.to_dict(),
                "exhaustive": self.exhaustive.to_dict(), "random": self.random.to_dict(),
                "call_ratio": round(self.call_ratio, 2),
                "speed_ratio": round(self.speed_ratio, 2),
                "relative_recall": round(self.relative_recall, 4),
                "per_problem": self.per_problem}


def _clear_judge_caches() -> None:
    from ..properties import vader_compound
    from ..textutil import token_set

    vader_compound.cache_clear()
    token_set.cache_clear()


def _hit_ranks(order: Sequence[str], truth: set[str]) -> int:
    """0-based rank of the first true hypothesis in ``order`` (len(order) when none)."""
    for i, key in enumerate(order):
        if key in truth:
            return i
    return len(order)


def compare_methods(proposer: LearnedProposer, pairs: Sequence[tuple[list[str], list[str]]],
                    truths: Sequence[set[str]], judge: Judge, *, name: str, k: int = 10,
                    seed: int = 0, labels: Sequence[str] | None = None) -> Evaluation:
    """Run both methods on every pair; ``truths[i]`` are the keys of pair i's true hypotheses
    (pairs with an empty truth set count as misses for every method)."""
    bank: list[Hypothesis] = list(proposer.bank_)
    keys = [h.key for h in bank]
    rng = np.random.default_rng(seed)
    ranks = {"learned": [], "exhaustive": [], "random": []}
    calls = {"learned": 0, "exhaustive": 0, "random": 0}
    wall = {"learned": 0.0, "exhaustive": 0.0, "random": 0.0}
    per = []
    for i, ((a, b), truth) in enumerate(zip(pairs, truths)):
        _clear_judge_caches()
        t0 = time.perf_counter()
        ranked = [h for h, _ in proposer.rank(a, b)]
        top = ranked[:k]
        ver = verify_all(top, a, b, judge)  # the verification the learned proposer needs
        wall["learned"] += time.perf_counter() - t0
        calls["learned"] += ver.judge_calls
        ranks["learned"].append(_hit_ranks([h.key for h in ranked], truth))

        _clear_judge_caches()
        search = verify_all(bank, a, b, judge)
        wall["exhaustive"] += search.wall_s
        calls["exhaustive"] += search.judge_calls
        ranks["exhaustive"].append(_hit_ranks([keys[j] for j in search.order], truth))

        perm = rng.permutation(len(bank))
        ranks["random"].append(_hit_ranks([keys[j] for j in perm], truth))
        calls["random"] += k * (len(a) + len(b))
        per.append({"pair": labels[i] if labels else i, "n_true": len(truth),
                    "truth": sorted(k.split(" ||| ")[0] for k in truth)[:3],
                    "rank_learned": ranks["learned"][-1],
                    "rank_exhaustive": ranks["exhaustive"][-1],
                    "learned_top3": [h.text for h in top[:3]],
                    "exhaustive_top3": [keys[j].split(" ||| ")[0] for j in search.order[:3]]})
    n = max(len(pairs), 1)
    ks = sorted(set(KS) | {k})

    def stats(m: str) -> MethodStats:
        r = np.array(ranks[m])
        return MethodStats({kk: float((r < kk).sum() / n) for kk in ks}, calls[m], wall[m])

    return Evaluation(name, len(pairs), len(bank), k, stats("learned"), stats("exhaustive"),
                      stats("random"), per)


def evaluate_synthetic(proposer: LearnedProposer, problems: Sequence[Problem], judge: Judge,
                       *, name: str = "synthetic", k: int = 10, seed: int = 0) -> Evaluation:
    """On forward-sampled problems the truth is the hypothesis each problem was built from."""
    return compare_methods(proposer, [(p.a, p.b) for p in problems],
                           [{p.target.key} for p in problems], judge, name=name, k=k, seed=seed)


# -- real pairs ------------------------------------------------------------------------------
def true_hypotheses(bank: Sequence[Hypothesis], truths: Sequence[str], a: list[str],
                    b: list[str], judge: Judge) -> set[str]:
    """Bank hypotheses that match a pair's known answer, by the criteria of ``wordlens bench``:
    judge agreement (Pearson correlation over the pair's texts between the judgments of the
    hypothesis and of a truth phrasing, signed by the hypothesis' direction) >= 0.5, or text
    similarity (cosine of the sentences; an A-side hypothesis with the truth, a B-side one with
    the 'rather than' part of the truth) >= 0.6."""
    from ..bench import AGREEMENT_THRESHOLD, SIMILARITY_THRESHOLD
    from ..encoders import default_encoder
    from ..judges.embedding import split_contrast
    from ..stats import correlation

    if not truths:
        return set()
    hyps = list(bank)
    texts = a + b
    jh = judge.judge(hyps, texts)
    jt = judge.judge([Hypothesis(t) for t in truths], texts)
    direction = np.sign(jh[:, : len(a)].mean(axis=1) - jh[:, len(a):].mean(axis=1))
    enc = default_encoder()
    he = enc.encode([h.text for h in hyps])
    sim_a = (he @ enc.encode(list(truths)).T).max(axis=1)
    b_side = [y for y in (split_contrast(t)[1] for t in truths) if y]
    sim_b = (he @ enc.encode(b_side).T).max(axis=1) if b_side else np.full(len(hyps), -1.0)
    out = set()
    for i, h in enumerate(hyps):
        sign = direction[i] if direction[i] != 0 else 1.0
        agree = max(correlation(jh[i], jt[t]) * sign for t in range(len(truths)))
        sim = sim_a[i] if sign > 0 else sim_b[i]
        if agree >= AGREEMENT_THRESHOLD or sim >= SIMILARITY_THRESHOLD:
            out.add(h.key)
    return out


def evaluate_real_pairs(proposer: LearnedProposer, datasets: str | Path, judge: Judge, *,
                        max_texts: int = 300, k: int = 10, seed: int = 0) -> Evaluation:
    """Every ``difference`` pair of the datasets folder (``null`` pairs have no truth)."""
    from ..bench import find_pairs
    from ..corpus import load_corpus
    from ..split import sample_texts

    pairs, truths, labels = [], [], []
    for p in find_pairs(datasets):
        meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
        if meta.get("kind") != "difference":
            continue
        a = sample_texts(load_corpus(p / "a.jsonl").texts, max_texts,
                         np.random.default_rng(seed))
        b = sample_texts(load_corpus(p / "b.jsonl").texts, max_texts,
                         np.random.default_rng(seed + 1))
        pairs.append((a, b))
        truths.append(true_hypotheses(proposer.bank_, meta.get("truth", []), a, b, judge))
        labels.append(p.name)
    return compare_methods(proposer, pairs, truths, judge, name="real pairs", k=k, seed=seed,
                           labels=labels)


def format_evaluation(ev: Evaluation) -> str:
    """A plain-text table."""
    ks = sorted(ev.learned.recall)
    head = f"{ev.name}: {ev.n_problems} problems, bank of {ev.bank_size} hypotheses, " \
           f"learned verifies its top {ev.k}"
    lines = [head, f"  {'method':<11}" + "".join(f"{'R@' + str(kk):>8}" for kk in ks)
             + f"{'judge calls':>14}{'wall s':>9}"]
    for m, st in (("learned", ev.learned), ("exhaustive", ev.exhaustive),
                  ("random", ev.random)):
        wall = f"{st.wall_s:>9.2f}" if m != "random" else f"{'-':>9}"
        lines.append(f"  {m:<11}" + "".join(f"{st.recall[kk]:>8.3f}" for kk in ks)
                     + f"{st.judge_calls:>14,}{wall}")
    lines.append(f"  learned/exhaustive recall@{ev.k}: {ev.relative_recall:.3f}; "
                 f"judge calls {ev.call_ratio:.1f}x fewer; wall time {ev.speed_ratio:.1f}x "
                 "faster")
    return "\n".join(lines)
