"""Does the research goal steer the answer? (issue #23) On pairs that differ in two ways at
once (``scripts/build_goal_pairs.py``), run the offline diff without a goal and with each
view's goal, and report:

- whether the goal's view leads the top 5: the rank-1 hypothesis belongs to the goal's view,
  told by its judgments on the pair's probe texts (texts of all four combinations of the two
  differences): its judgments correlate more with that view's label than with the other's, and
  by at least 0.3 (absolute Pearson correlation);
- language pairs: "is written in <language>" at rank 1 with the language goal;
- stance pairs: a stance statement (target-stance proposer) among the top 5 findings;
- null pairs: the number of significant hypotheses (must be 0), with and without goals.

    python scripts/build_goal_pairs.py /tmp/goal_pairs --datasets ../shared/datasets
    nice python scripts/bench_goal.py /tmp/goal_pairs --out benchmarks/goal.json \
        [--before goal_before.json]   # a report from before a change: list what differs
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def leaders(result) -> list:
    return [h for h in result.hypotheses if h.group is None or h.group == h.rank]


def view_of(h, probe: list[dict], judge) -> tuple[int | None, list[float]]:
    """Index of the view whose probe labels the hypothesis' judgments follow (None: neither
    by |r| >= 0.3), and the correlations."""
    from wordlens.hypothesis import Hypothesis

    texts = [p["text"] for p in probe]
    j = judge.judge([Hypothesis(h.hypothesis, h.source, h.form)], texts)[0]
    if h.direction == "B":
        j = 1.0 - j
    labels = np.array([p["labels"] for p in probe], dtype=float)
    corr = [float(np.corrcoef(j, labels[:, k])[0, 1]) if j.std() > 0 else 0.0
            for k in range(labels.shape[1])]
    best = int(np.argmax(np.abs(corr)))
    return (best if abs(corr[best]) >= 0.3 else None), [round(c, 3) for c in corr]


def summary(result, n: int = 5) -> list[dict]:
    return [{"rank": h.rank, "side": h.direction, "hypothesis": h.hypothesis,
             "validity": round(h.validity, 3), "q": float(f"{h.q_value:.3g}"),
             "significant": h.significant, "answers_goal": h.answers_goal,
             "kind": (h.form or {}).get("kind")} for h in leaders(result)[:n]]


def run_pair(d: Path, seed: int, judge) -> dict:
    import wordlens

    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    a = [r["text"] for r in read(d / "a.jsonl")]
    b = [r["text"] for r in read(d / "b.jsonl")]
    probe = read(d / "probe.jsonl")
    out: dict = {"pair": d.name, "kind": meta["kind"], "class": meta.get("class"),
                 "set": meta.get("set", "first"), "runs": []}
    if meta.get("class") == "stance":
        from wordlens.proposers import TargetStanceProposer

        out["stance_targets"] = [name for _, name in TargetStanceProposer().targets(a, b)]
    for view in [None] + meta["views"]:
        goal = view["goal"] if view else None
        t0 = time.perf_counter()
        res = wordlens.diff(a, b, goal=goal, seed=seed, judge=judge)
        run = {"goal": goal, "view": view["view"] if view else None,
               "seconds": round(time.perf_counter() - t0, 1),
               "significant": len(res.significant), "top5": summary(res),
               "goal_views": (res.settings.get("goal") or {}).get("views")}
        top = leaders(res)
        if probe and top:
            k, corr = view_of(top[0], probe, judge)
            run["rank1_view"] = meta["views"][k]["view"] if k is not None else None
            run["rank1_correlations"] = corr
        if view and "language" in view and top:
            form = top[0].form or {}
            run["language_at_rank1"] = form.get("language") in view["language"]
        if meta.get("class") == "stance":
            run["stance_rows"] = [
                {"rank": h.rank, "side": h.direction, "hypothesis": h.hypothesis,
                 "validity": round(h.validity, 3), "q": float(f"{h.q_value:.3g}")}
                for h in res.hypotheses if (h.form or {}).get("kind") in ("stance", "argues")]
        run["stance_in_top5"] = any((h.form or {}).get("kind") in ("stance", "argues")
                                    for h in top[:5])
        out["runs"].append(run)
        print(f"{d.name} goal={goal!r}: rank 1 {top[0].hypothesis if top else '-'!r} "
              f"(view {run.get('rank1_view')}), {run['significant']} significant, "
              f"{run['seconds']}s", file=sys.stderr)
    return out


def totals(pairs: list[dict]) -> dict:
    goal_runs = [r for p in pairs if p["kind"] == "difference" and p["class"] != "stance"
                 for r in p["runs"] if r["goal"]]
    by_set = {}
    for name in sorted({p.get("set", "first") for p in pairs if p["kind"] == "difference"
                        and p["class"] != "stance"}):
        runs = [r for p in pairs if p.get("set", "first") == name and p["class"] != "stance"
                and p["kind"] == "difference" for r in p["runs"] if r["goal"]]
        by_set[name] = f"{sum(r.get('rank1_view') == r['view'] for r in runs)}/{len(runs)}"
    lang = [r for p in pairs for r in p["runs"] if "language_at_rank1" in r]
    stance = [r for p in pairs if p["class"] == "stance" for r in p["runs"]]
    nulls = [r for p in pairs if p["kind"] == "null" for r in p["runs"]]
    def frac(flags) -> str:
        flags = list(flags)
        return f"{sum(flags)}/{len(flags)}"

    return {
        "goal_view_leads_top5": frac(r.get("rank1_view") == r["view"] for r in goal_runs),
        "goal_view_leads_top5_by_set": by_set,
        "language_at_rank1_with_language_goal": frac(r["language_at_rank1"] for r in lang),
        "stance_in_top5_with_goal": frac(r["stance_in_top5"] for r in stance if r["goal"]),
        "stance_in_top5_without_goal": frac(r["stance_in_top5"] for r in stance
                                            if not r["goal"]),
        "null_runs_with_significant": frac(r["significant"] > 0 for r in nulls),
    }


def differences(before: dict, after: dict, *, goal_runs: bool = False) -> list[dict]:
    """Runs (without a goal unless ``goal_runs``) whose top 5 or significant count differ
    between two reports of this script."""
    old = {(p["pair"], r["goal"]): r for p in before["pairs"] for r in p["runs"]}
    out = []
    for p in after["pairs"]:
        for r in p["runs"]:
            b = old.get((p["pair"], r["goal"]))
            if b is None or (r["goal"] and not goal_runs):
                continue
            top = lambda run: [f"{h['side']} {h['hypothesis']}" for h in run["top5"]]  # noqa: E731
            if top(b) != top(r) or b["significant"] != r["significant"]:
                out.append({"pair": p["pair"], "goal": r["goal"],
                            "significant": [b["significant"], r["significant"]],
                            "top5_before": top(b), "top5_after": top(r)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pairs", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default=None, help="comma-separated pair names")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--before", type=Path, default=None,
                    help="a report of this script from before a change: list the runs "
                         "without a goal whose top 5 or significant count differ")
    args = ap.parse_args()
    from wordlens.judges import OfflineJudge

    judge = OfflineJudge()
    dirs = sorted(p for p in args.pairs.iterdir() if (p / "meta.json").exists())
    if args.only:
        dirs = [d for d in dirs if d.name in args.only.split(",")]
    t0 = time.perf_counter()
    pairs = [run_pair(d, args.seed, judge) for d in dirs]
    report = {"command": "python scripts/bench_goal.py " + " ".join(sys.argv[1:]),
              "seed": args.seed, "totals": totals(pairs),
              "wall_s": round(time.perf_counter() - t0, 1), "pairs": pairs}
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))
        report["before"] = {"file": str(args.before), "totals": before["totals"],
                            "runs_without_goal_that_differ": differences(before, report)}
    print(json.dumps(report["totals"], indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")


if __name__ == "__main__":
    main()
