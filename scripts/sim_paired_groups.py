"""Null checks and the power of pairing, by simulation (docs/paired-and-groups.md).

- paired null: real paired_headlines pairs (train + test) with the two headlines of each pair
  swapped by a fair coin, so neither side differs; each run draws its own split and coins
  and runs the whole paired diff (paired phrases + properties proposed on the proposal pairs,
  exact judge, McNemar / paired t, Benjamini-Hochberg). Reported: the share of runs with any
  significant finding (Benjamini-Hochberg keeps it at <= alpha under the complete null).
- K-group null: the four BBC categories (bbc_tech_vs_sports, bbc_politics_vs_entertainment;
  the first 600 characters of each article, for speed) with the labels permuted; the whole
  `diff --by` (properties + contrastive phrases proposed per group, exact judge) per run.
- power: simulated pairs whose shared content makes a keyword hold in both texts of many pairs,
  with a known per-pair effect (B adds it in a further 12% of the pairs); the rejection rate
  of the paired test vs the unpaired diff of the same texts, with the hypothesis given.
- coverage of the paired interval (Tango's score interval for 0/1, paired t for soft) at a
  known mean paired difference.
- amortized paired null (``--only amortized_null``): the paired null above verified amortized
  (teacher: the exact judge on both texts of sampled pairs; student: the zero-shot embedding
  judge, an imperfect one; default teacher budget, 10% of an exhaustive run).
- amortized paired power (``--only amortized_power``): simulated pairs with a known
  within-pair effect and distractor hypotheses; amortized verification at 10% and 25% of the
  teacher judgments (a student that flips 15% of the teacher's judgments) against exhaustive
  paired verification, and the coverage of the amortized interval of the effect.
- engines (``--only engines``): the paired diff of paired_headlines in memory, streamed in
  process and on Ray: the same statistics.

    python scripts/sim_paired_groups.py --runs 100 --out benchmarks/sim_paired_groups.json
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
from scipy.stats import binomtest

from wordlens.diff import diff_split
from wordlens.groups import diff_groups
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.pairs import PairedSplit, Pairs, load_pairs
from wordlens.pairstats import compare_paired
from wordlens.proposers.contrastive import ContrastivePhraseProposer
from wordlens.proposers.offline import OfflineProposer
from wordlens.proposers.paired import PairedOfflineProposer
from wordlens.proposers.properties import PropertyProposer
from wordlens.registry import make_judge
from wordlens.split import Split
from wordlens.validation import AmortizedPlan

DATA = Path(os.environ.get("WORDLENS_DATASETS", Path(__file__).resolve().parents[1].parent /
                           "shared" / "datasets"))


def rate(k: int, n: int) -> dict:
    ci = binomtest(k, n).proportion_ci(0.95)
    return {"rate": k / n, "k": k, "n": n, "ci95": [round(ci.low, 4), round(ci.high, 4)]}


def paired_null(runs: int, alpha: float, max_pairs: int, amortized: bool = False) -> dict:
    """The paired null; ``amortized``: verified amortized (exact teacher, zero-shot
    embedding student, default budget)."""
    base = [load_pairs(DATA / "paired_headlines" / f"{s}.jsonl",
                       fields=("more_clicks", "fewer_clicks"), pair_id="pair_id")
            for s in ("train", "test")]
    a = [t for p in base for t in p.a]
    b = [t for p in base for t in p.b]
    ids = [i for p in base for i in p.ids]
    judge = make_judge("exact")
    kw = ({"verify": "amortized", "plan": AmortizedPlan(student=make_judge("embedding"))}
          if amortized else {})
    hits, n_sig, n_tests, calls, full = 0, 0, 0, 0, 0
    for r in range(runs):
        flip = np.random.default_rng([7, r]).uniform(size=len(a)) < 0.5
        sa = [y if f else x for x, y, f in zip(a, b, flip)]
        sb = [x if f else y for x, y, f in zip(a, b, flip)]
        pairs = Pairs(sa, sb, ids, base[0].corpus_a, base[0].corpus_b)
        split = PairedSplit.draw_pairs(pairs, seed=r, max_pairs=max_pairs)
        prop = PairedOfflineProposer(OfflineProposer(sources=[PropertyProposer()]),
                                     judge=judge)
        res = diff_split(split, proposer=prop, judge=judge, alpha=alpha, judge_controls=False,
                         **kw)
        k = len(res.significant)
        hits += k > 0
        n_sig += k
        n_tests += len(res.hypotheses)
        calls += res.verification.get("teacher_calls", res.verification["judgments_made"])
        full += res.verification["judgments_if_exhaustive"]
    out = {"runs_with_any_significant": rate(hits, runs), "significant_findings": n_sig,
           "tests": n_tests, "pairs_per_run": max_pairs}
    if amortized:
        out |= {"verification": "amortized (teacher: exact judge; student: zero-shot "
                                "embedding judge; default budget)",
                "teacher_judgments": calls, "judgments_if_exhaustive": full,
                "teacher_share": round(calls / max(full, 1), 4)}
    return out


def engines_equal(max_pairs: int) -> dict:
    """paired_headlines (train + test): the same paired diff in memory, streamed in process
    and on Ray (when installed); every statistic must be the same."""
    base = [load_pairs(DATA / "paired_headlines" / f"{s}.jsonl",
                       fields=("more_clicks", "fewer_clicks"), pair_id="pair_id")
            for s in ("train", "test")]
    pairs = Pairs([t for p in base for t in p.a], [t for p in base for t in p.b],
                  [i for p in base for i in p.ids], base[0].corpus_a, base[0].corpus_b)
    split = PairedSplit.draw_pairs(pairs, seed=0, max_pairs=max_pairs)
    judge = make_judge("embedding")  # soft judgments: the paired t from merged moments
    prop = PairedOfflineProposer(OfflineProposer(sources=[PropertyProposer()]), judge=judge)
    hyps = [h.text for h in prop.propose(split.proposal_a, split.proposal_b)]
    hyps += ["is a question", "promises a surprise", "is about a celebrity"]  # free text
    keys = ("hypothesis", "validity", "ci_low", "ci_high", "p_value", "q_value", "test")

    def rows(engine):
        res = diff_split(split, judge=judge, hypotheses=hyps, engine=engine,
                         judge_controls=False)
        return res, [[getattr(h, k) for k in keys] for h in res.hypotheses]

    mem, ref = rows(None)
    out = {"pairs": len(split.a), "validation_pairs": len(split.validation_a),
           "hypotheses": len(hyps),
           "judge": "embedding (free text) and the properties' own measures",
           "tests": sorted({r[-1] for r in ref}),
           "significant_in_memory": [h.hypothesis for h in mem.significant]}
    def same(got) -> dict:
        """Same hypotheses, order and tests; the largest gap of any number (the merged
        moments differ from the direct sums by rounding only)."""
        gap = max((abs(x - y) for g, r in zip(got, ref) for x, y in zip(g[1:-1], r[1:-1])),
                  default=0.0)
        return {"same_order_and_tests": [(g[0], g[-1]) for g in got] ==
                [(r[0], r[-1]) for r in ref], "max_abs_gap": float(gap),
                "equal_to_1e-9": bool(gap < 1e-9)}

    res, got = rows("inprocess")
    out["inprocess"] = same(got)
    out["inprocess_settings"] = res.settings["paired"]["verification"]
    try:
        import ray
    except ImportError:
        out["ray"] = "not installed"
        return out
    from wordlens.engine.ray_engine import RayEngine

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        res, got = rows(RayEngine(in_flight=4))
    finally:
        ray.shutdown()
    out["ray"] = same(got) | {"engine": res.settings["engine"]["name"]}
    return out


class FlipStudent(Judge):
    """A cheap student: the exact judge's judgment, flipped on a seeded ``flip`` share of the
    (hypothesis, text) pairs (a fixed function of the two, as a model's errors are)."""

    name = "flip student (simulation)"

    def __init__(self, flip: float, seed: int):
        super().__init__()
        self.exact, self.flip, self.seed = make_judge("exact"), flip, seed

    def judge_matrix(self, hypotheses, texts):
        import zlib

        j = self.exact.judge(hypotheses, texts)
        u = np.array([[zlib.crc32(f"{self.seed}|{h.text}|{t}".encode()) / 2 ** 32
                       for t in texts] for h in hypotheses])
        return np.where(u < self.flip, 1 - j, j)


def amortized_power(runs: int, alpha: float, n_pairs: int, effect: float, shared: float,
                    fractions: tuple[float, ...] = (0.1, 0.25)) -> dict:
    """Pairs share content ('sorry' in both texts of ``shared`` of them, B adds it in a
    further ``effect``) and carry four null keywords; the keyword's rejection rate,
    exhaustive vs amortized at ``fractions`` of the teacher judgments, and the coverage of
    the amortized 95% interval of the validation pairs' true mean difference."""
    from wordlens.corpus import Corpus

    judge = make_judge("exact")
    words = ["sorry", "maybe", "today", "please", "thanks"]
    hyps = [Hypothesis(f"uses the word '{w}'", "sim", {"kind": "keywords", "words": [w]})
            for w in words]
    rej = {"exhaustive": 0} | {f"amortized_{f}": 0 for f in fractions}
    cover = {f"amortized_{f}": 0 for f in fractions}
    false_pos = dict.fromkeys(rej, 0)
    calls = dict.fromkeys(rej, 0)
    for r in range(runs):
        rng = np.random.default_rng([19, r])
        a, b = [], []
        for i in range(n_pairs):
            extra = " ".join(w for w in words[1:] if rng.uniform() < 0.3)
            body = f"reply {i} about item {rng.integers(1000)} {extra}"
            both = rng.uniform() < shared
            a.append(("sorry, " if both else "") + body)
            b.append(("sorry, " if both or rng.uniform() < effect else "") + body)
        pairs = Pairs(a, b, [str(i) for i in range(n_pairs)], Corpus("A", a), Corpus("B", b))
        split = PairedSplit.draw_pairs(pairs, seed=r)
        full = len(hyps) * 2 * len(split.validation_a)
        runs_kw = {"exhaustive": {}} | {
            f"amortized_{f}": {"verify": "amortized", "plan": AmortizedPlan(
                budget=int(f * full), student=FlipStudent(0.15, r), seed=r)}
            for f in fractions}
        truth = None
        for name, kw in runs_kw.items():
            res = diff_split(split, judge=judge, hypotheses=hyps, alpha=alpha,
                             judge_controls=False, adaptive=False, **kw)
            row = {h.hypothesis: h for h in res.hypotheses}
            top = row[hyps[0].text]
            rej[name] += bool(top.significant and top.direction == "B")
            false_pos[name] += sum(row[h.text].significant for h in hyps[1:])
            calls[name] += res.verification.get("teacher_calls",
                                                res.verification["judgments_made"])
            if name == "exhaustive":
                truth = top.validity
            else:
                cover[name] += top.ci_low <= truth <= top.ci_high
    return {"rejection": {k: rate(v, runs) for k, v in rej.items()},
            "coverage_of_effect": {k: rate(v, runs) for k, v in cover.items()},
            "null_keywords_significant": {k: rate(v, 4 * runs) for k, v in false_pos.items()},
            "teacher_judgments_per_run": {k: v / runs for k, v in calls.items()},
            "n_pairs": n_pairs, "validation_pairs": n_pairs // 2, "effect": effect,
            "shared": shared, "student": "exact judgments flipped on 15% of (hypothesis, text)"}


def bbc_groups() -> dict[str, list[str]]:
    out = {}
    for folder, (ga, gb) in (("bbc_tech_vs_sports", ("tech", "sport")),
                             ("bbc_politics_vs_entertainment", ("politics", "entertainment"))):
        for side, g in (("a", ga), ("b", gb)):
            with open(DATA / folder / f"{side}.jsonl", encoding="utf-8") as fh:
                out[g] = [json.loads(line)["text"][:600] for line in fh if line.strip()]
    return out


def group_null(runs: int, alpha: float, per_group: int) -> dict:
    groups = bbc_groups()
    names = sorted(groups)
    texts = [t for g in names for t in groups[g]]
    labels = np.array([g for g in names for _ in groups[g]])
    judge = make_judge("exact")
    hits, n_sig, n_tests = 0, 0, 0
    for r in range(runs):
        rng = np.random.default_rng([11, r])
        perm = rng.permutation(labels)
        by = {g: [t for t, lab in zip(texts, perm) if lab == g] for g in names}
        prop = OfflineProposer(sources=[PropertyProposer(), ContrastivePhraseProposer()],
                               judge=judge)
        res = diff_groups(by, proposer=prop, judge=judge, seed=r, max_texts=per_group,
                          alpha=alpha, per_group=10)
        k = res.n_significant()
        hits += k > 0
        n_sig += k
        n_tests += res.settings["n_tests"]
    return {"runs_with_any_significant": rate(hits, runs), "significant_cells": n_sig,
            "tests": n_tests, "groups": names, "texts_per_group": per_group}


def power(runs: int, alpha: float, n_pairs: int, effect: float, shared: float) -> dict:
    """Pairs share content: 'sorry' is in both texts of ``shared`` of the pairs; B adds it in
    a further ``effect`` of the pairs (the known per-pair effect)."""
    judge = make_judge("exact")
    hyp = [Hypothesis("uses the word 'sorry'", "sim", {"kind": "keywords",
                                                       "words": ["sorry"]})]
    rej_p, rej_u = 0, 0
    for r in range(runs):
        rng = np.random.default_rng([13, r])
        a, b = [], []
        for i in range(n_pairs):
            body = f"reply {i} about item {rng.integers(1000)}"
            both = rng.uniform() < shared
            a.append(("sorry, " if both else "") + body)
            b.append(("sorry, " if both or rng.uniform() < effect else "") + body)
        ids = [str(i) for i in range(n_pairs)]
        from wordlens.corpus import Corpus

        pairs = Pairs(a, b, ids, Corpus("A", a), Corpus("B", b))
        ps = PairedSplit.draw_pairs(pairs, seed=r)
        us = Split(a=ps.a, b=ps.b, proposal_a=ps.proposal_a, proposal_b=ps.proposal_b,
                   validation_a=ps.validation_a, validation_b=ps.validation_b, seed=r,
                   proposal_fraction=0.5, max_texts=None)
        for split, is_p in ((ps, True), (us, False)):
            res = diff_split(split, judge=judge, hypotheses=hyp, alpha=alpha, adaptive=False,
                             judge_controls=False)
            sig = bool(res.hypotheses[0].significant and res.hypotheses[0].direction == "B")
            rej_p += sig and is_p
            rej_u += sig and not is_p
    return {"paired": rate(rej_p, runs), "unpaired": rate(rej_u, runs),
            "n_pairs": n_pairs, "validation_pairs": n_pairs // 2, "effect": effect,
            "shared": shared}


def coverage(runs: int) -> dict:
    rng = np.random.default_rng(17)
    hit_b, hit_s = 0, 0
    for _ in range(runs):
        p = rng.uniform(0.1, 0.9)
        n = 60
        base = rng.uniform(size=n) < p
        ja = (base | (rng.uniform(size=n) < 0.15)).astype(float)
        jb = (base & (rng.uniform(size=n) > 0.05)).astype(float)
        # truth: P(a) - P(b) = [p + (1-p) 0.15] - [0.95 p]
        truth = p + (1 - p) * 0.15 - 0.95 * p
        t = compare_paired(ja, jb)
        hit_b += t.ci_low <= truth <= t.ci_high
        sa = np.clip(rng.beta(2, 2, n), 0, 1)
        sb = np.clip(sa - 0.05 + rng.normal(0, 0.1, n), 0, 1)
        ts = compare_paired(sa, sb)
        hit_s += ts.ci_low <= _soft_truth() <= ts.ci_high
    return {"binary_tango": rate(hit_b, runs), "soft_paired_t": rate(hit_s, runs),
            "n_pairs": 60}


_SOFT_TRUTH: list[float] = []


def _soft_truth() -> float:
    """E[a - clip(a - 0.05 + N(0, 0.1), 0, 1)] for a ~ Beta(2, 2), by a large Monte Carlo."""
    if not _SOFT_TRUTH:
        rng = np.random.default_rng(0)
        a = rng.beta(2, 2, 2_000_000)
        _SOFT_TRUTH.append(float(np.mean(a - np.clip(a - 0.05 + rng.normal(0, 0.1, a.size),
                                                     0, 1))))
    return _SOFT_TRUTH[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--power-runs", type=int, default=200)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--max-pairs", type=int, default=400)
    ap.add_argument("--per-group", type=int, default=60)
    ap.add_argument("--only", choices=["paired", "groups", "power", "coverage",
                                       "amortized_null", "amortized_power", "engines"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out: dict = {"alpha": args.alpha}
    parts = {"paired_null": lambda: paired_null(args.runs, args.alpha, args.max_pairs),
             "group_null": lambda: group_null(args.runs, args.alpha, args.per_group),
             "power": lambda: power(args.power_runs, args.alpha, 200, 0.12, 0.4),
             "coverage": lambda: coverage(2000),
             "amortized_null": lambda: paired_null(args.runs, args.alpha, args.max_pairs,
                                                   amortized=True),
             "amortized_power": lambda: amortized_power(args.power_runs, args.alpha, 600,
                                                        0.12, 0.4),
             "engines_equal": lambda: engines_equal(args.max_pairs)}
    for name, fn in parts.items():
        if args.only and not name.startswith(args.only):
            continue
        t0 = time.perf_counter()
        out[name] = fn() | {"seconds": round(time.perf_counter() - t0, 1)}
        print(name, json.dumps(out[name]), flush=True)
    if args.out:  # parts not run now keep their earlier numbers
        old = json.loads(args.out.read_text()) if args.out.exists() else {}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(old | out, indent=2) + "\n")


if __name__ == "__main__":
    main()
