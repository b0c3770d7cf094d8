"""Tokens per judgment: one hypothesis per LLM call versus several (K per call).

    python scripts/bench_llm_tokens.py                       # scripted answers, no HTTP
    python scripts/bench_llm_tokens.py --base-url http://127.0.0.1:8799/v1 --model smollm2 \\
        --texts 6 --ks 1 4                                    # a real server (real token counts)

Judges H hypotheses x N texts (examples/amazon_reviews, both files) once per setting, without
the cache, and prints calls, input and output tokens per judgment, judgments per second, and
how often each setting's yes/no decision (P >= 0.5) agrees with one hypothesis per call.
The scripted server counts tokens as characters / 4 (an approximation it states); a real
server reports its own counts. Texts-per-call batching (--judge-batch 8) is shown for
reference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from llm_server import CONCEPTS, ScriptedLLMServer  # noqa: E402

from wordlens.hypothesis import Hypothesis  # noqa: E402
from wordlens.judges.llm import build_judge  # noqa: E402


def texts(n: int) -> list[str]:
    out = []
    for name in ("positive.jsonl", "negative.jsonl"):
        with open(ROOT / "examples" / "amazon_reviews" / name, encoding="utf-8") as fh:
            out += [json.loads(x)["text"] for x in fh if x.strip()][: (n + 1) // 2]
    return out[:n]


def run(url: str | None, model: str, hyps: list[Hypothesis], docs: list[str], *, k: int = 1,
        batch: int = 1) -> dict:
    """One setting; without ``url`` the scripted test server's answers, without HTTP."""
    where = ({"base_url": url} if url else
             {"transport": ScriptedLLMServer().transport(model)})
    judge = build_judge(f"openai-compatible:{model}", batch_size=batch,
                        hypotheses_per_call=k, cache=False, **where)
    t = time.perf_counter()
    m = judge.judge(hyps, docs)
    wall = time.perf_counter() - t
    u, d = judge.client.usage, judge.describe()
    n = m.size
    return {"setting": f"K={k}" if batch == 1 else f"batch={batch}", "calls": u.calls,
            "tokens_in_per_judgment": u.tokens_in / n, "tokens_out_per_judgment":
            u.tokens_out / n, "judgments_per_s": n / wall, "matrix": m,
            "rejected": sum(d["rejected_batched_replies"].values()),
            "reasked": d["items_missing_from_batched_replies"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", help="a running OpenAI-compatible server (default: the "
                                       "scripted test server's answers, without HTTP)")
    ap.add_argument("--model", default="scripted")
    ap.add_argument("--texts", type=int, default=60)
    ap.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4, 7])
    ap.add_argument("--no-batch", action="store_true", help="skip the --judge-batch 8 row")
    ap.add_argument("--hypotheses", nargs="+", help="default: the scripted server's 7 concepts")
    args = ap.parse_args()
    hyps = [Hypothesis(h) for h in (args.hypotheses or CONCEPTS)]
    docs = texts(args.texts)
    url = args.base_url
    print(f"{len(hyps)} hypotheses x {len(docs)} texts = {len(hyps) * len(docs)} judgments; "
          f"server: {url or 'scripted test answers, no HTTP (tokens = chars / 4)'}")
    rows = [run(url, args.model, hyps, docs, k=k) for k in args.ks]
    if not args.no_batch:
        rows.append(run(url, args.model, hyps, docs, batch=8))
    base = rows[0]
    print(f"{'setting':>9} {'calls':>6} {'tok in/j':>9} {'tok out/j':>9} {'j/s':>8} "
          f"{'agree K=1':>9} {'rejected':>8} {'re-asked':>8}")
    for r in rows:
        agree = float(np.mean((r["matrix"] >= 0.5) == (base["matrix"] >= 0.5)))
        print(f"{r['setting']:>9} {r['calls']:>6} {r['tokens_in_per_judgment']:>9.1f} "
              f"{r['tokens_out_per_judgment']:>9.2f} {r['judgments_per_s']:>8.1f} "
              f"{agree:>9.1%} {r['rejected']:>8} {r['reasked']:>8}")
    for r in rows[1:]:
        ratio = ((r["tokens_in_per_judgment"] + r["tokens_out_per_judgment"]) /
                 (base["tokens_in_per_judgment"] + base["tokens_out_per_judgment"]))
        print(f"{r['setting']}: {ratio:.2f}x the tokens per judgment of {base['setting']}")


if __name__ == "__main__":
    main()
