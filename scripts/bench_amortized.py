"""Amortized against exhaustive verification with an expensive teacher, on the shared pairs:
the share of the exhaustive run's significant hypotheses that amortized verification finds at
several teacher budgets.

For every pair, the offline proposer proposes once on one seeded split. The teacher then judges
every (candidate, validation text) pair once; those judgments are kept on disk (``--tables``)
and *replayed* by a table judge, so the exhaustive run (adaptive stopping, as `wordlens diff
--verify exhaustive` does) and each amortized run see exactly the teacher's judgments while
only the amortized runs' student part costs time. Each amortized run's teacher budget is
``ratio`` times the exhaustive run's teacher calls. Teachers: ``llm`` = the scripted
OpenAI-compatible test server (tests/llm_server.py: yes when the text contains a keyword of
the property), ``joint`` = the joint-encoding judge (one MiniLM pass per pair), ``server`` =
a real model behind an OpenAI-compatible server at ``--server-url``, asked one text at a time
(e.g. SmolLM2-135M-Instruct in llama.cpp's ``llama-server``; ``--max-hypotheses`` keeps its
exhaustive run affordable).

    WORDLENS_NO_CACHE=1 nice -n 10 python scripts/bench_amortized.py \
        --out benchmarks/amortized.json
    llama-server -m SmolLM2-135M-Instruct.Q4_1.gguf --port 8799 -t 2 &
    python scripts/bench_amortized.py --teachers server --server-url http://127.0.0.1:8799/v1 \
        --pairs amazon_pos_vs_neg --max-texts-server 200 --max-hypotheses 20
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RATIOS = (1 / 40, 1 / 20, 1 / 10, 1 / 5)


def make_teacher(kind: str, url: str | None, server_url: str | None = None):
    if kind == "joint":
        from wordlens.judges.joint import JointEncodingJudge

        return JointEncodingJudge()
    from wordlens.judges.llm import build_judge
    from wordlens.llm.usage import Budget

    if kind == "server":  # a small real model: one text per request, yes/no log-probs
        return build_judge("openai-compatible:served-model", base_url=server_url,
                           cache=False, budget=Budget(), batch_size=1)
    return build_judge("openai-compatible:scripted", base_url=url, cache=False,
                       budget=Budget())


def replay_judge(table: dict):
    """A judge that answers from the teacher's recorded judgments (expensive, like it)."""
    from wordlens.judges.base import Judge

    class ReplayJudge(Judge):
        name = f"replayed {table['teacher']} teacher"
        expensive = True

        def __init__(self):
            super().__init__()
            self.row = {h.key: i for i, h in enumerate(table["hypotheses"])}
            self.col = {}
            for side in ("a", "b"):
                for j, t in enumerate(table[f"texts_{side}"]):
                    self.col.setdefault(t, (side, j))

        def judge_matrix(self, hypotheses, texts):
            rows = [self.row[h.key] for h in hypotheses]
            out = np.empty((len(rows), len(texts)))
            for c, t in enumerate(texts):
                side, j = self.col[t]
                out[:, c] = table[f"y_{side}"][rows, j]
            return out

        def describe(self):
            return {"name": self.name, "class": "ReplayJudge", "model": table["teacher"]}

    return ReplayJudge()


def teacher_table(pair: Path, kind: str, url: str | None, args) -> dict:
    """The teacher's judgments of every candidate on every validation text (cached)."""
    cap = f"_{args.max_hypotheses}h" if kind == "server" else ""  # its candidates are cut
    path = args.tables / f"{kind}_{pair.name}_{args.max_texts[kind]}{cap}_{args.seed}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from wordlens.corpus import as_corpus
    from wordlens.diff import MIN_TEXTS
    from wordlens.hypothesis import as_hypotheses
    from wordlens.proposers.offline import OfflineProposer
    from wordlens.split import Split

    ca, cb = as_corpus(pair / "a.jsonl", "A"), as_corpus(pair / "b.jsonl", "B")
    split = Split.draw(ca.texts, cb.texts, seed=args.seed, max_texts=args.max_texts[kind],
                       min_texts=MIN_TEXTS)
    cands = as_hypotheses(OfflineProposer().propose(split.proposal_a, split.proposal_b, None,
                                                    seed=args.seed))
    if kind == "server":
        cands = cands[:args.max_hypotheses]
    teacher = make_teacher(kind, url, args.server_url)
    t0 = time.perf_counter()
    ya = teacher.judge(cands, split.validation_a)
    yb = teacher.judge(cands, split.validation_b)
    table = {"teacher": kind, "pair": pair.name, "split": split, "hypotheses": cands,
             "texts_a": list(split.validation_a), "texts_b": list(split.validation_b),
             "y_a": ya, "y_b": yb, "teacher_s_all_pairs": time.perf_counter() - t0}
    args.tables.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(table))
    return table


def run_pair(table: dict, args) -> dict:
    from wordlens.diff import diff_split
    from wordlens.validation import AmortizedPlan

    split, cands = table["split"], table["hypotheses"]
    full = len(cands) * (len(table["texts_a"]) + len(table["texts_b"]))
    out: dict = {"pair": table["pair"], "teacher": table["teacher"], "hypotheses": len(cands),
                 "n_validation": [len(table["texts_a"]), len(table["texts_b"])],
                 "teacher_s_every_pair": round(table["teacher_s_all_pairs"], 1)}
    t0 = time.perf_counter()
    ex = diff_split(split, judge=replay_judge(table), hypotheses=cands, verify="exhaustive",
                    top_k=args.top_k, judge_controls=False)
    calls = ex.verification["judgments_made"]
    sig = {h.hypothesis for h in ex.significant}
    every = _significant_every_text(table)
    out["exhaustive"] = {"teacher_calls": calls, "teacher_calls_no_adaptive": full,
                         "teacher_s_estimate": round(table["teacher_s_all_pairs"] * calls /
                                                     full, 1),
                         "replay_s": round(time.perf_counter() - t0, 1),
                         "n_significant": len(sig),
                         "n_significant_every_text": len(every)}
    out["amortized"] = []
    for ratio in args.ratios:
        budget = int(ratio * calls)
        t1 = time.perf_counter()
        am = diff_split(split, judge=replay_judge(table), hypotheses=cands,
                        verify="amortized", top_k=args.top_k, judge_controls=False,
                        plan=AmortizedPlan(budget=budget, seed=args.seed,
                                          method=args.method, **args.plan))
        found = {h.hypothesis for h in am.significant}
        v = am.verification
        ess = [h.amortized.get("effective_labels") for h in am.hypotheses if h.amortized]
        out["amortized"].append({
            "ratio": round(ratio, 4), "teacher_budget": budget,
            "teacher_calls": v["judgments_made"],
            "student_s": round(time.perf_counter() - t1, 1),
            "teacher_s_estimate": round(table["teacher_s_all_pairs"] * v["judgments_made"] /
                                        full, 1),
            "n_significant": len(found), "found": len(found & sig),
            "share_found": round(len(found & sig) / len(sig), 3) if sig else None,
            "not_in_exhaustive": sorted(found - sig), "missed": sorted(sig - found),
            "found_of_every_text": len(found & every),
            "not_significant_on_every_text": sorted(found - every),
            "median_effective_labels_gain": _median([e / max(1, h.amortized["teacher_labels"])
                                                     for e, h in zip(ess, am.hypotheses)
                                                     if e is not None])})
    return out


def _significant_every_text(table: dict) -> set[str]:
    """Hypotheses significant (Benjamini-Hochberg, 0.05) when the teacher's judgment of every
    validation text is used: the adaptive exhaustive run stops judging a hypothesis early, so
    it can miss some of these."""
    from wordlens.stats import benjamini_hochberg, compare

    p = [compare(table["y_a"][i], table["y_b"][i]).p_value
         for i in range(len(table["hypotheses"]))]
    q = benjamini_hochberg(p)
    return {h.text for h, qi in zip(table["hypotheses"], q) if qi < 0.05}


def _plan_field(kv: str) -> tuple[str, object]:
    key, _, value = kv.partition("=")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, value


def _median(xs):
    return round(float(np.median(xs)), 2) if xs else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=Path,
                    default=Path(os.environ.get("WORDLENS_DATASETS", "/work/shared/datasets")))
    ap.add_argument("--pairs", nargs="*", default=None,
                    help="pair folder names (default: *_vs_* and null_amazon)")
    ap.add_argument("--teachers", default="llm,joint")
    ap.add_argument("--max-texts-llm", type=int, default=600)
    ap.add_argument("--max-texts-joint", type=int, default=400)
    ap.add_argument("--max-texts-server", type=int, default=200)
    ap.add_argument("--max-hypotheses", type=int, default=20,
                    help="the first N proposed candidates (server teacher only)")
    ap.add_argument("--server-url", default=None,
                    help="an OpenAI-compatible server's /v1 URL (teacher 'server')")
    ap.add_argument("--ratios", type=float, nargs="*", default=list(RATIOS))
    ap.add_argument("--method", choices=("uniform", "active"), default="active")
    ap.add_argument("--plan", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="other AmortizedPlan fields, e.g. looks=3 floor=0.2")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tables", type=Path, default=Path("/tmp/wordlens-bench-amortized"),
                    help="where the teacher's judgments are kept between runs")
    ap.add_argument("--tables-only", action="store_true", help="only record the teacher")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    args.max_texts = {"llm": args.max_texts_llm, "joint": args.max_texts_joint,
                      "server": args.max_texts_server}
    if "server" in args.teachers.split(",") and not args.server_url:
        ap.error("--teachers server needs --server-url")
    args.plan = dict(_plan_field(kv) for kv in args.plan)
    sys.path.insert(0, str(ROOT))
    from tests.llm_server import ScriptedLLMServer

    pairs = sorted(p for p in args.datasets.iterdir() if (p / "a.jsonl").exists() and (
        "_vs_" in p.name or p.name == "null_amazon"))
    if args.pairs:
        pairs = [p for p in pairs if p.name in args.pairs]
    rows = []
    with ScriptedLLMServer(max_requests=10_000_000, max_idle_s=3600) as srv:
        for kind in args.teachers.split(","):
            for pair in pairs:
                table = teacher_table(pair, kind, srv.url, args)
                print(f"{kind} {pair.name}: teacher table {table['y_a'].shape} + "
                      f"{table['y_b'].shape}, {table['teacher_s_all_pairs']:.0f}s",
                      flush=True)
                if args.tables_only:
                    continue
                row = run_pair(table, args)
                rows.append(row)
                _print(row)
    if rows:
        _summary(rows)
    if args.out and rows:
        args.out.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


def _print(r: dict) -> None:
    ex = r["exhaustive"]
    print(f"\n{r['teacher']:5s} {r['pair']}: {r['hypotheses']} hypotheses, validation "
          f"{r['n_validation'][0]}+{r['n_validation'][1]}; exhaustive {ex['teacher_calls']} "
          f"teacher calls (~{ex['teacher_s_estimate']}s of teacher), "
          f"{ex['n_significant']} significant ({ex['n_significant_every_text']} with the "
          f"teacher on every text)", flush=True)
    for a in r["amortized"]:
        print(f"  1/{1 / a['ratio']:.0f}: {a['teacher_calls']} calls, found {a['found']} of "
              f"{ex['n_significant']} ({a['share_found']}), {len(a['not_in_exhaustive'])} "
              f"not in exhaustive ({len(a['not_significant_on_every_text'])} not significant "
              f"on every text); student part {a['student_s']}s, teacher "
              f"~{a['teacher_s_estimate']}s; median label gain "
              f"{a['median_effective_labels_gain']}", flush=True)


def _summary(rows: list[dict]) -> None:
    print("\nfound (+ significant only in the amortized run / + of those not significant with "
          "the teacher on every text)")
    print("\n| teacher | pair | significant, exhaustive (every text) | " +
          " | ".join(f"1/{1 / a['ratio']:.0f}" for a in rows[0]["amortized"]) + " |")
    print("|---|---|---|" + "---|" * len(rows[0]["amortized"]))
    for r in rows:
        cells = [f"{a['found']} (+{len(a['not_in_exhaustive'])} / "
                 f"+{len(a['not_significant_on_every_text'])})" for a in r["amortized"]]
        ex = r["exhaustive"]
        print(f"| {r['teacher']} | {r['pair']} | {ex['n_significant']} "
              f"({ex['n_significant_every_text']}) | " +
              " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
