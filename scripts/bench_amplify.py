"""Amplify, then distil: does training the learned proposer on the winners of decomposed
runs (top-level + within-group) change its recall on held-out problems?

Takes the two replay sets that ``scripts/bench_decompose.py --replay PATH`` writes from the
same diff runs: ``PATH.plain.replay.jsonl`` (each run's top-level winners, what ``diff --replay``
writes) and ``PATH.decomposed.replay.jsonl`` (the same plus one record per within-group diff, what
``diff --decompose auto --replay`` writes). Trains three proposers that differ only in their
replay set (same bank: every winner of both sets; same forward problems from amazon, movie
and tweets; same seed), then runs ``wordlens eval-proposer`` on synthetic BBC News problems
(never used in training): recall@1/5/10 of each proposer's ranking on the same problems.

    python scripts/bench_amplify.py --replay /tmp/wl_decompose.replay --out /tmp/wl_amplify
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def wordlens(*args: str) -> None:
    exe = Path(sys.executable).with_name("wordlens")
    print("$ wordlens " + " ".join(args), flush=True)
    subprocess.run([str(exe), *args], check=True)


def recall_on_bbc(models: dict[str, Path], datasets: Path, n_problems: int, seed: int = 1
                  ) -> dict[str, dict[str, float]]:
    """Recall@1/5/10 of each proposer's ranking on the same synthetic BBC problems (the
    problems of ``wordlens eval-proposer --corpus shared:bbc --no-real``: 100 texts a side,
    purity 0.8, 2 distractors, seed 1). The learned proposer's recall@k is the share of
    problems whose answer is in its top k (verifying the top k only re-orders it); the
    exhaustive search, identical for every arm, is not re-run here."""
    from wordlens.judges.offline import OfflineJudge
    from wordlens.learned.sources import source_texts
    from wordlens.learned.synthetic import Difficulty, ForwardSampler
    from wordlens.proposers.learned.model import LearnedProposer

    props = {name: LearnedProposer.load(path) for name, path in models.items()}
    banks = {tuple(h.key for h in p.bank_) for p in props.values()}
    assert len(banks) == 1, "the arms must share one bank"
    bank = next(iter(props.values())).bank_
    sampler = ForwardSampler(bank, OfflineJudge()).fit(source_texts("bbc", datasets), "bbc")
    probs = sampler.sample(n_problems, Difficulty(n_a=100, n_b=100, purity=0.8,
                                                  n_distractors=2), seed=seed)
    out = {}
    for name, prop in props.items():
        ranks = []
        for p in probs:
            order = [h.key for h, _ in prop.rank(p.a, p.b)]
            ranks.append(order.index(p.target.key) if p.target.key in order else len(order))
        r = np.array(ranks)
        out[name] = {f"R@{k}": float((r < k).mean()) for k in (1, 5, 10)}
        print(name, out[name], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replay", type=Path, required=True,
                    help="PATH given to bench_decompose.py --replay")
    ap.add_argument("--out", type=Path, default=Path("/tmp/wl_amplify"))
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--problems", type=int, default=200, help="training problems per corpus")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--eval-problems", type=int, default=100)
    ap.add_argument("--reuse", action="store_true", help="keep arms already trained in --out")
    args = ap.parse_args()
    plain = args.replay.with_suffix(".plain.replay.jsonl")
    amplified = args.replay.with_suffix(".decomposed.replay.jsonl")
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    arms = {"no replay": [], "plain replay": ["--replay", str(plain)],
            "decomposed replay": ["--replay", str(amplified)]}
    models = {}
    for i, (name, extra) in enumerate(arms.items()):
        model = args.out / f"model{i}"
        models[name] = model
        if args.reuse and (model / "meta.json").exists():
            continue
        wordlens("train-proposer", "--out", str(model), "--datasets", str(args.datasets),
                 "--corpus", "shared:amazon", "--corpus", "shared:movie",
                 "--corpus", "shared:tweets", "--bank", str(amplified), *extra,
                 "--problems", str(args.problems), "--epochs", str(args.epochs))
    summary = recall_on_bbc(models, args.datasets, args.eval_problems)
    records = {p.name: sum(1 for line in p.open() if line.strip()) for p in (plain, amplified)}
    print(json.dumps({"replay_records": records, "arms": summary}, indent=1))
    (args.out / "summary.json").write_text(json.dumps({"replay_records": records,
                                                       "arms": summary}, indent=1))
    print(f"total {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
