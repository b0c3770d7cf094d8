"""`diff --fast` against the default on the shared pairs: the known difference in the top 5,
significant findings on the null pair, and which significant findings differ.

    python scripts/bench_fast.py                      # every pair, all texts
    python scripts/bench_fast.py --max-texts 300 --out /tmp/fast_vs_default.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wordlens.bench import run_bench

ROOT = Path(__file__).resolve().parents[1]


def _significant(entry_result) -> set[tuple[str, str]]:
    return {(h.direction, h.hypothesis) for h in entry_result.hypotheses if h.significant}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--max-texts", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    results: dict[str, dict] = {}
    for mode in ("default", "fast"):
        keep: dict[str, object] = {}
        report = run_bench(args.datasets, max_texts=args.max_texts, seed=args.seed,
                           fast=mode == "fast", keep_results=keep,
                           log=lambda e, m=mode: print(
                               f"  [{m}] {e['pair']}: {e['n_significant']} significant, known "
                               f"difference in top 5: {e.get('truth_in_top5', '-')}, "
                               f"{e['wall_s']:.0f}s", flush=True))
        results[mode] = {"report": report, "significant": {
            k: sorted(map(list, _significant(r))) for k, r in keep.items()}}
    rows = []
    for e_def, e_fast in zip(results["default"]["report"]["pairs"],
                             results["fast"]["report"]["pairs"]):
        name = e_def["pair"]
        sd = {tuple(x) for x in results["default"]["significant"][name]}
        sf = {tuple(x) for x in results["fast"]["significant"][name]}
        row = {"pair": name, "kind": e_def["kind"],
               "truth_in_top5": [e_def.get("truth_in_top5"), e_fast.get("truth_in_top5")],
               "n_significant": [len(sd), len(sf)], "wall_s": [e_def["wall_s"], e_fast["wall_s"]],
               "only_default": sorted(" ".join(x) for x in sd - sf),
               "only_fast": sorted(" ".join(x) for x in sf - sd)}
        rows.append(row)
        print(f"{name} ({row['kind']}): known difference in top 5 default/fast "
              f"{row['truth_in_top5'][0]}/{row['truth_in_top5'][1]}; significant "
              f"{len(sd)}/{len(sf)}, shared {len(sd & sf)}; wall {row['wall_s'][0]:.0f}s/"
              f"{row['wall_s'][1]:.0f}s", flush=True)
        for label in ("only_default", "only_fast"):
            for h in row[label]:
                print(f"    {label.replace('_', ' ')}: {h}")
    if args.out:
        args.out.write_text(json.dumps({"pairs": rows, "runs": results}, indent=2))


if __name__ == "__main__":
    main()
