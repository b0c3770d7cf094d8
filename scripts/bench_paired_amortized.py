"""Amortized vs exhaustive paired verification on paired_headlines with the scripted LLM
teacher (tests/llm_server.py: a stand-in for a model that says yes when a text holds a
keyword of the property's concept, not a model), at a teacher budget of 10% of an
exhaustive run: teacher calls and findings side by side (docs/paired-and-groups.md).

The candidates are proposed once (the scripted LLM proposer, shown the proposal pairs side
by side) and the same list is verified both ways on the same held-out pairs.

    python scripts/bench_paired_amortized.py --out benchmarks/paired_amortized_headlines.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the scripted server lives with the tests

from wordlens.paired import paired_proposer  # noqa: E402

from tests.llm_server import ScriptedLLMServer  # noqa: E402
from wordlens.diff import diff_split  # noqa: E402
from wordlens.judges.llm import build_judge  # noqa: E402
from wordlens.pairs import PairedSplit, Pairs, load_pairs  # noqa: E402
from wordlens.proposers.llm import build_proposer  # noqa: E402
from wordlens.validation import AmortizedPlan  # noqa: E402

DATA = Path(os.environ.get("WORDLENS_DATASETS", ROOT.parent / "shared" / "datasets"))
FIELDS = ("more_clicks", "fewer_clicks")


def row(h) -> dict:
    return {"hypothesis": h.hypothesis, "direction": h.direction,
            "validity": round(h.validity, 4), "ci": [round(h.ci_low, 4), round(h.ci_high, 4)],
            "q_value": h.q_value, "significant": bool(h.significant), "test": h.test}


def run(split: PairedSplit, hyps: list[str], fraction: float, seed: int) -> dict:
    out = {}
    full = 2 * len(hyps) * len(split.validation_a)
    for name, kw in (("exhaustive", {"verify": "exhaustive"}), ("amortized", {
            "verify": "amortized", "plan": AmortizedPlan(budget=int(fraction * full),
                                                         seed=seed)})):
        srv = ScriptedLLMServer()
        judge = build_judge("scripted", transport=srv.transport(), cache=False)
        t0 = time.perf_counter()
        res = diff_split(split, judge=judge, hypotheses=hyps, judge_controls=False,
                         adaptive=False, **kw)
        v = res.verification
        out[name] = {
            "teacher_calls": v.get("teacher_calls", v["judgments_made"]),
            "judgments_if_exhaustive": full,
            "llm_requests": judge.client.usage.calls,
            "significant": [h.hypothesis for h in res.significant],
            "hypotheses": [row(h) for h in res.hypotheses],
            "verification": v.get("method"), "paired": res.settings["paired"]["verification"],
            "student": v.get("student"), "teacher_budget": v.get("teacher_budget"),
            "seconds": round(time.perf_counter() - t0, 1)}
    ex = {h["hypothesis"]: h for h in out["exhaustive"]["hypotheses"]}
    am = {h["hypothesis"]: h for h in out["amortized"]["hypotheses"]}
    out["agreement"] = {
        "significant_both": sorted(set(out["exhaustive"]["significant"]) &
                                   set(out["amortized"]["significant"])),
        "significant_only_amortized": sorted(set(out["amortized"]["significant"]) -
                                             set(out["exhaustive"]["significant"])),
        "exhaustive_validity_in_amortized_ci": sum(
            am[k]["ci"][0] <= ex[k]["validity"] <= am[k]["ci"][1] for k in am if k in ex),
        "compared": len(set(am) & set(ex))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fraction", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    parts = [load_pairs(DATA / "paired_headlines" / f"{s}.jsonl", fields=FIELDS,
                        pair_id="pair_id") for s in ("train", "test")]
    pairs = Pairs([t for p in parts for t in p.a], [t for p in parts for t in p.b],
                  [i for p in parts for i in p.ids], parts[0].corpus_a, parts[0].corpus_b)
    split = PairedSplit.draw_pairs(pairs, seed=args.seed)
    srv = ScriptedLLMServer()
    prop = paired_proposer(build_proposer("scripted", transport=srv.transport(), cache=False))
    hyps = [h.text for h in prop.propose(split.proposal_a, split.proposal_b)]
    out = {"data": "paired_headlines train + test (A: more_clicks, B: fewer_clicks)",
           "teacher": "scripted LLM (tests/llm_server.py; keyword stand-in, not a model)",
           "pairs": len(pairs.a), "validation_pairs": len(split.validation_a),
           "candidates": hyps, "fraction": args.fraction, "seed": args.seed}
    out |= run(split, hyps, args.fraction, args.seed)
    print(json.dumps({k: out[k] for k in ("candidates", "agreement")}, indent=1))
    for k in ("exhaustive", "amortized"):
        print(k, "teacher calls", out[k]["teacher_calls"], "significant", out[k]["significant"])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
