"""In-process, streamed and Ray runs of ``diff`` on the shipped bench pairs: are the ranked
hypotheses, groups and judge controls the same?

    python scripts/bench_engines.py [--engines mem,inprocess,ray] [--out FILE]

Every run uses the offline judge and proposer with judge controls on (``judge_controls=True``:
the offline judge does not run them by default). A run is "the same" as the in-memory one
when every row agrees on rank, hypothesis, direction, group, group correlation, significance,
flags and examples, its statistics agree to 1e-9, and its judge controls agree on which are
biased, which findings are flagged, the P(yes) spread, and every control's numbers to 1e-6
(the streamed role swap judges the top finding again; the embedding judge's numbers move in
the 8th decimal with what it encodes together). Prints one line per run and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from wordlens import diff
from wordlens.bench import find_pairs, shipped_pairs_dir

ROW = ("rank", "hypothesis", "direction", "group", "group_correlation", "significant", "flags",
       "examples_for", "examples_against")
NUMBERS = ("validity", "ci_low", "ci_high", "p_value", "q_value", "auc")
CONTROL_NUMBERS = ("share_a", "share_b", "validity", "ci_low", "ci_high", "p_value",
                   "mean_p_yes")


def _close(x: float, y: float, tol: float) -> bool:
    return abs(x - y) <= tol * max(1.0, abs(x))


def differences(ref, got) -> list[str]:
    """What differs between two results (empty: the same ranked result)."""
    out = []
    rx = [tuple(getattr(r, f) for f in ROW) for r in ref.hypotheses]
    ry = [tuple(getattr(r, f) for f in ROW) for r in got.hypotheses]
    if rx != ry:
        k = next((i for i, (a, b) in enumerate(zip(rx, ry)) if a != b), min(len(rx), len(ry)))
        out.append(f"row {k + 1}: {rx[k] if k < len(rx) else None} vs "
                   f"{ry[k] if k < len(ry) else None}")
    for a, b in zip(ref.hypotheses, got.hypotheses):
        out += [f"{a.hypothesis}: {f}" for f in NUMBERS
                if not _close(getattr(a, f), getattr(b, f), 1e-9)]
    cx, cy = ref.judge_controls, got.judge_controls
    if (cx is None) != (cy is None):
        return out + ["judge controls on one side only"]
    if cx is not None:
        out += [f"controls.{k}" for k in ("biased", "flagged", "p_yes") if cx[k] != cy[k]]
        for a, b in zip(cx["controls"], cy["controls"]):
            out += [f"control {a['kind']}.{f}" for f in CONTROL_NUMBERS
                    if not _close(a[f], b[f], 1e-6)]
            out += [f"control {a['kind']}.{f}" for f in ("hypothesis", "biased", "n_a", "n_b")
                    if a[f] != b[f]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="mem,inprocess,ray")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    engines = args.engines.split(",")
    if "ray" in engines:
        import ray

        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    rows = []
    for pair in find_pairs(shipped_pairs_dir()):
        ref = None
        for eng in engines:
            t0 = time.perf_counter()
            res = diff(str(pair / "a.jsonl"), str(pair / "b.jsonl"), judge_controls=True,
                       engine=None if eng == "mem" else eng)
            diffs = [] if ref is None else differences(ref, res)
            ref = ref or res
            ctl = res.judge_controls or {}
            row = {"pair": pair.name, "engine": eng, "settings_engine": res.settings["engine"],
                   "same_as_in_memory": not diffs, "differences": diffs[:10],
                   "n_significant": sum(r.significant for r in res.hypotheses),
                   "n_groups": len({r.group for r in res.hypotheses}),
                   "top5": [r.hypothesis for r in res.hypotheses[:5]],
                   "controls_biased": ctl.get("biased"), "flagged": ctl.get("flagged"),
                   "control_judgments": ctl.get("judgments"),
                   "wall_s": round(time.perf_counter() - t0, 2)}
            rows.append(row)
            print(f"{pair.name:20s} {eng:9s} same={row['same_as_in_memory']} "
                  f"sig={row['n_significant']} groups={row['n_groups']} "
                  f"control judgments={row['control_judgments']} {row['wall_s']}s")
            for d in diffs[:5]:
                print("    ", d)
    if args.out:
        args.out.write_text(json.dumps({"runs": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
