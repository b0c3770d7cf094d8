"""Benchmark of `wordlens explain` on classify_amazon_spurious.

A TF-IDF + logistic regression classifier is trained on part of train.jsonl; explain runs on
the held-out rest of train.jsonl (same distribution, unseen by the classifier) with test.jsonl
as --check-data. Prints, per seed and selection method: rank of the planted cue among the
selected hypotheses, whether it is flagged, % explained for 1..5 hypotheses, and time.

    python scripts/bench_explain.py [--seeds 0 1 2] [--check 400]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "classify_amazon_spurious"
MARKER = "(verified purchase)"


def read(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--check", type=int, default=400, help="test.jsonl texts to check with")
    ap.add_argument("--selection", nargs="+", default=["forward", "l1"])
    args = ap.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from wordlens.explain import explain
    from wordlens.hypothesis import Hypothesis
    from wordlens.judges.offline import OfflineJudge

    train, test = read(DATA / "train.jsonl"), read(DATA / "test.jsonl")[: args.check]
    judge = OfflineJudge()
    print("seed selection | cue rank | flagged | % explained n=1..5 (accuracy-based) | "
          "fidelity n=1..5 | clf acc | base acc | s")
    for seed in args.seeds:
        perm = np.random.default_rng(seed).permutation(len(train))
        fit, held = [train[i] for i in perm[:1400]], [train[i] for i in perm[1400:]]
        clf = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2),
                            LogisticRegression(C=10, max_iter=1000))
        clf.fit([r["text"] for r in fit], [r["label"] for r in fit])
        texts = [r["text"] for r in held]
        marker = np.array([MARKER in t for t in texts])
        for method in args.selection:
            t0 = time.perf_counter()
            res = explain(texts, model=clf, labels=[r["label"] for r in held],
                          check=([r["text"] for r in test], [r["label"] for r in test]),
                          check_name="test.jsonl", judge=judge, selection=method, seed=seed)
            dt = time.perf_counter() - t0
            rank = None
            for row in res.main.hypotheses:
                j = judge.judge([Hypothesis(row.hypothesis, row.source, row.form)], texts)[0]
                if np.mean((j >= 0.5) == marker) >= 0.97:
                    rank = row.rank
                    break
            flagged = any(f.kind == "check-data" and rank is not None
                          and f.hypothesis == res.main.hypotheses[rank - 1].hypothesis
                          for f in res.flags)
            o = res.main.overall
            pct = " ".join(f"{p:5.1f}" for p in res.percent_explained_curve())
            fid = " ".join(f"{c['fidelity']:.3f}" for c in res.main.curve)
            print(f"{seed:4d} {method:9s} | {rank} | {flagged} | {pct} | {fid} | "
                  f"{o['classifier_accuracy']:.3f} | {o['baseline_accuracy']:.3f} | {dt:.1f}")
            if method == args.selection[0]:
                print("     top 3:", res.top(3))


if __name__ == "__main__":
    main()
