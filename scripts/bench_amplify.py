"""Amplify, then distil: does training the learned proposer on the winners of decomposed
runs (top-level + within-group) change its recall on held-out problems?

Takes the two replay sets that ``scripts/bench_decompose.py --replay PATH`` writes from the
same diff runs: ``PATH.plain.replay.jsonl`` (each run's top-level winners, what ``diff --replay``
writes) and ``PATH.decomposed.replay.jsonl`` (the same plus one record per within-group diff, what
``diff --decompose auto --replay`` writes). Trains three proposers that differ only in their
replay set (same bank: every winner of both sets; same forward problems from amazon, movie
and tweets; same seed), then runs ``wordlens eval-proposer`` on synthetic BBC News problems
(never used in training) for each.

    python scripts/bench_amplify.py --replay /tmp/wl_decompose.replay --out /tmp/wl_amplify
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wordlens(*args: str) -> None:
    exe = Path(sys.executable).with_name("wordlens")
    print("$ wordlens " + " ".join(args), flush=True)
    subprocess.run([str(exe), *args], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replay", type=Path, required=True,
                    help="PATH given to bench_decompose.py --replay")
    ap.add_argument("--out", type=Path, default=Path("/tmp/wl_amplify"))
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--problems", type=int, default=200, help="training problems per corpus")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--eval-problems", type=int, default=100)
    args = ap.parse_args()
    plain = args.replay.with_suffix(".plain.replay.jsonl")
    amplified = args.replay.with_suffix(".decomposed.replay.jsonl")
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    arms = {"no replay": [], "plain replay": ["--replay", str(plain)],
            "decomposed replay": ["--replay", str(amplified)]}
    summary = {}
    for i, (name, extra) in enumerate(arms.items()):
        model = args.out / f"model{i}"
        report = args.out / f"eval{i}.json"
        wordlens("train-proposer", "--out", str(model), "--datasets", str(args.datasets),
                 "--corpus", "shared:amazon", "--corpus", "shared:movie",
                 "--corpus", "shared:tweets", "--bank", str(amplified), *extra,
                 "--problems", str(args.problems), "--epochs", str(args.epochs))
        wordlens("eval-proposer", str(model), "--datasets", str(args.datasets), "--corpus",
                 "shared:bbc", "--problems", str(args.eval_problems), "--no-real",
                 "--out", str(report))
        ev = json.loads(report.read_text())["evaluations"][0]
        summary[name] = {k: v for k, v in ev.items() if k != "per_problem"}
    records = {p.name: sum(1 for line in p.open() if line.strip()) for p in (plain, amplified)}
    print(json.dumps({"replay_records": records, "arms": summary}, indent=1))
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"total {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
