"""Amortized against exhaustive verification with an expensive teacher, on the shared pairs.

For every pair, the offline proposer proposes once on one seeded split; then the same
candidates are verified (1) exhaustively by the teacher (adaptive stopping, as `wordlens diff
--verify exhaustive` does) and (2) amortized with a teacher budget of ``--ratio`` times an
exhaustive run's actual teacher calls, twice: with an empty student cache (a student is
distilled) and again with the student that run cached. Teachers: ``llm`` = the scripted
OpenAI-compatible test server (tests/llm_server.py: yes when the text contains a keyword of
the property), and ``joint`` = the joint-encoding judge (one MiniLM pass per pair, an
expensive local stand-in).

Prints teacher calls, the ratio to the exhaustive run, and every difference in the set of
significant hypotheses among the top 5 of either run.

    WORDLENS_NO_CACHE=1 nice -n 10 python scripts/bench_amortized.py --max-texts 600
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_teacher(kind: str, url: str | None):
    if kind == "joint":
        from wordlens.judges.joint import JointEncodingJudge

        return JointEncodingJudge()
    from wordlens.judges.llm import build_judge
    from wordlens.llm.usage import Budget

    return build_judge("openai-compatible:scripted", base_url=url, cache=False,
                       budget=Budget())


def top_significant(res, k: int = 5) -> dict[str, bool]:
    return {h.hypothesis: h.significant for h in res.hypotheses[:k]}


def compare_top(ex, am, k: int = 5) -> list[str]:
    """Every hypothesis in either run's top k whose significance differs between the runs."""
    ex_all = {h.hypothesis: h for h in ex.hypotheses}
    am_all = {h.hypothesis: h for h in am.hypotheses}
    diffs = []
    for name, run, other in (("exhaustive", ex, am_all), ("amortized", am, ex_all)):
        for h in run.hypotheses[:k]:
            o = other.get(h.hypothesis)
            if o is None or o.significant != h.significant:
                line = (f"{h.hypothesis!r} (top {k} of {name}): significant in exhaustive="
                        f"{ex_all[h.hypothesis].significant if h.hypothesis in ex_all else None}"
                        f", amortized="
                        f"{am_all[h.hypothesis].significant if h.hypothesis in am_all else None}"
                        f"; validity {ex_all[h.hypothesis].validity:+.3f} vs "
                        f"{am_all[h.hypothesis].validity:+.3f}")
                if line not in diffs:
                    diffs.append(line)
    return diffs


def run_pair(pair: Path, teacher_kind: str, url: str | None, args) -> dict:
    from wordlens.corpus import as_corpus
    from wordlens.diff import MIN_TEXTS, diff_split
    from wordlens.hypothesis import as_hypotheses
    from wordlens.proposers.offline import OfflineProposer
    from wordlens.split import Split
    from wordlens.validation import AmortizedPlan

    ca, cb = as_corpus(pair / "a.jsonl", "A"), as_corpus(pair / "b.jsonl", "B")
    split = Split.draw(ca.texts, cb.texts, seed=args.seed, max_texts=args.max_texts,
                       min_texts=MIN_TEXTS)
    cands = as_hypotheses(OfflineProposer().propose(split.proposal_a, split.proposal_b, None,
                                                    seed=args.seed))
    out: dict = {"pair": pair.name, "teacher": teacher_kind, "hypotheses": len(cands),
                 "n_validation": [len(split.validation_a), len(split.validation_b)]}
    t0 = time.perf_counter()
    ex = diff_split(split, judge=make_teacher(teacher_kind, url), hypotheses=cands,
                    verify="exhaustive", top_k=args.top_k, judge_controls=False)
    out["exhaustive"] = {"teacher_calls": ex.verification["judgments_made"],
                         "teacher_calls_no_adaptive": ex.verification[
                             "judgments_if_exhaustive"],
                         "wall_s": round(time.perf_counter() - t0, 1),
                         "top5": top_significant(ex),
                         "n_significant": len(ex.significant),
                         "teacher_usage": (ex.judge.get("usage") or None)}
    budget = int(args.ratio * ex.verification["judgments_made"])  # of what exhaustive spent
    with tempfile.TemporaryDirectory() as cache:
        for run in ("amortized", "amortized_cached_student"):
            t1 = time.perf_counter()
            plan = AmortizedPlan(budget=budget, cache_dir=cache, seed=args.seed)
            am = diff_split(split, judge=make_teacher(teacher_kind, url), hypotheses=cands,
                            verify="amortized", plan=plan, top_k=args.top_k,
                            judge_controls=False)
            v = am.verification
            out[run] = {"teacher_budget": budget, "teacher_calls": v["judgments_made"],
                        "training": v.get("teacher_calls_training"),
                        "student": v.get("student", {}).get("source"),
                        "ratio_to_exhaustive": round(v["judgments_made"] /
                                                     max(1, ex.verification["judgments_made"]),
                                                     4),
                        "ratio_to_no_adaptive": round(v["judgments_made"] /
                                                      v["judgments_if_exhaustive"], 4),
                        "teacher_usage": v.get("teacher_usage"),
                        "wall_s": round(time.perf_counter() - t1, 1),
                        "top5": top_significant(am), "n_significant": len(am.significant),
                        "top5_differences": compare_top(ex, am),
                        "median_agreement": _median([h.amortized["agreement"]
                                                     for h in am.hypotheses if h.amortized])}
    if "teacher_usage" not in out["amortized"] or out["amortized"]["teacher_usage"] is None:
        out["amortized"].pop("teacher_usage", None)
    return out


def _median(xs):
    import numpy as np

    return round(float(np.median(xs)), 3) if xs else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--pairs", nargs="*", default=None, help="pair folder names (default all)")
    ap.add_argument("--teachers", default="llm,joint")
    ap.add_argument("--max-texts", type=int, default=600)
    ap.add_argument("--ratio", type=float, default=0.1,
                    help="teacher budget as a share of the exhaustive run's teacher calls")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.llm_server import ScriptedLLMServer

    pairs = sorted(p for p in args.datasets.iterdir() if (p / "a.jsonl").exists())
    if args.pairs:
        pairs = [p for p in pairs if p.name in args.pairs]
    rows = []
    with ScriptedLLMServer(max_requests=10_000_000, max_idle_s=3600) as srv:
        for kind in args.teachers.split(","):
            for pair in pairs:
                row = run_pair(pair, kind, srv.url, args)
                rows.append(row)
                _print(row)
    _summary(rows)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2))
    return 0


def _print(r: dict) -> None:
    ex, am, am2 = r["exhaustive"], r["amortized"], r["amortized_cached_student"]
    print(f"\n{r['teacher']:5s} {r['pair']}: {r['hypotheses']} hypotheses, validation "
          f"{r['n_validation'][0]}+{r['n_validation'][1]} texts")
    usage = ex.get("teacher_usage")
    tok = f", {usage['calls']} requests, {usage['tokens_in']:,} tokens in" if usage else ""
    print(f"  exhaustive: {ex['teacher_calls']} teacher calls ({ex['teacher_calls_no_adaptive']}"
          f" without adaptive stopping){tok}, {ex['n_significant']} significant, "
          f"{ex['wall_s']}s")
    for name, a in (("amortized", am), ("again, cached student", am2)):
        usage = a.get("teacher_usage")
        tok = (f", {usage['calls']} requests, {usage['tokens_in']:,} tokens in"
               if usage else "")
        print(f"  {name}: {a['teacher_calls']} teacher calls ({a['training']} training; "
              f"student {a['student']}){tok} = {a['ratio_to_exhaustive']:.3f} of exhaustive, "
              f"{a['ratio_to_no_adaptive']:.3f} of no-adaptive; {a['n_significant']} "
              f"significant; median agreement {a['median_agreement']}; {a['wall_s']}s")
        for d in a["top5_differences"]:
            print(f"    top-5 difference: {d}")
        if not a["top5_differences"]:
            print("    top-5 significant sets: identical")


def _summary(rows: list[dict]) -> None:
    print("\nsummary")
    for r in rows:
        am, am2 = r["amortized"], r["amortized_cached_student"]
        print(f"  {r['teacher']:5s} {r['pair']:32s} calls {am['teacher_calls']:6d} / "
              f"{r['exhaustive']['teacher_calls']:6d} = {am['ratio_to_exhaustive']:.3f} "
              f"(cached student {am2['ratio_to_exhaustive']:.3f}); top-5 differences "
              f"{len(am['top5_differences'])} / {len(am2['top5_differences'])}")


if __name__ == "__main__":
    raise SystemExit(main())
