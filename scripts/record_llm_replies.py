"""Record a real model's replies to wordlens' proposer and batched-judge prompts as test
fixtures (tests/data/llm_replies/), to replay through the scripted test server.

    python scripts/record_llm_replies.py --base-url http://127.0.0.1:8799/v1 \\
        --label "SmolLM2-135M-Instruct Q4_1, llama_cpp.server" --out tests/data/llm_replies

Sends, without the cache, the current prompts (proposer rounds, batched judge, several
hypotheses per call) and the prompts of wordlens before issue 16 (``"1: yes\\n2: no"`` format
example, concrete proposer examples) on examples/amazon_reviews, and writes one JSON file per
prompt kind: ``{"model", "prompt", "replies": [...]}``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wordlens.hypothesis import Hypothesis
from wordlens.judges.llm import LLMJudge
from wordlens.llm import prompts
from wordlens.llm.client import make_request
from wordlens.llm.factory import build_client
from wordlens.llm.prompts import item_ids, text_block
from wordlens.proposers import llm as proposer_module
from wordlens.proposers.llm import LLMProposer

ROOT = Path(__file__).resolve().parents[1]
OLD_JUDGE_MANY = ("Property: {hypothesis}\n\n{texts}\n\nFor each text, does it have the "
                  "property? Answer with exactly one line per text, in order, like\n1: yes\n"
                  "2: no")
OLD_PROPOSER_USER = (
    "Group A texts:\n{group_a}\n\nGroup B texts:\n{group_b}\n\n{goal_line}"
    "Compared to Group B, which properties hold more often for the texts in Group A? "
    "Write {n} hypotheses. Each must be a short predicate about a single text (at most 12 "
    "words) that someone can check by reading that one text, for example \"is about sports\", "
    "\"mentions a price\" or \"uses informal language\". Do not mention the groups. "
    "Answer as a JSON list of strings.")
HYPS = ["expresses positive sentiment", "complains about a defect", "is about sports"]


def corpus(name: str) -> list[str]:
    with open(ROOT / "examples" / "amazon_reviews" / name, encoding="utf-8") as fh:
        return [json.loads(x)["text"] for x in fh if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--label", required=True, help="model and server, stored with the replies")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "llm_replies")
    ap.add_argument("--n", type=int, default=6, help="requests per prompt kind")
    args = ap.parse_args()
    client = build_client(f"openai-compatible:{args.model}", base_url=args.base_url,
                          cache=False)
    pos, neg = corpus("positive.jsonl"), corpus("negative.jsonl")
    judge = LLMJudge(client, batch_size=8)
    kinds: dict[str, tuple[str, list[dict]]] = {}

    prop = LLMProposer(client, rounds=args.n, per_side=4, max_text_chars=200)
    weights = (_ones(pos), _ones(neg))
    kinds["propose"] = ("current proposer prompt", [
        prop._round(pos, neg, weights, None, 0, r, 0)[0] for r in range(args.n)])
    current = proposer_module.PROPOSER_USER
    proposer_module.PROPOSER_USER = OLD_PROPOSER_USER
    try:
        kinds["propose_old_prompt"] = ("proposer prompt before issue 16", [
            prop._round(pos, neg, weights, None, 0, r, 0)[0] for r in range(args.n)])
    finally:
        proposer_module.PROPOSER_USER = current
    texts = [t for pair in zip(pos, neg) for t in pair]
    batches = [texts[8 * i: 8 * i + 8] for i in range(args.n)]
    kinds["judge_many"] = ("current batched judge prompt (8 texts)", [
        judge._request_many(Hypothesis(HYPS[i % 3]), b, item_ids(8))
        for i, b in enumerate(batches)])
    kinds["judge_many_old_prompt"] = ("batched judge prompt before issue 16 (8 texts)", [
        _old_many(HYPS[i % 3], b) for i, b in enumerate(batches)])
    kinds["judge_multi"] = ("current several-hypotheses prompt (3 per call)", [
        judge._request_multi([Hypothesis(h) for h in HYPS], t, item_ids(3))
        for t in texts[: args.n]])
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, (what, requests) in kinds.items():
        replies = [r.text for r in client.chat_many(requests)]
        path = args.out / f"smollm2_{kind}.json"
        path.write_text(json.dumps({"model": args.label, "prompt": what, "replies": replies},
                                   indent=1, ensure_ascii=False) + "\n")
        print(f"{path}: {len(replies)} replies")


def _ones(xs: list[str]):
    import numpy as np

    return np.full(len(xs), 0.5)


def _old_many(hypothesis: str, texts: list[str]) -> dict:
    blocks = "\n".join(text_block(t, str(i + 1), 2000) for i, t in enumerate(texts))
    return make_request([{"role": "system", "content": prompts.JUDGE_SYSTEM},
                         {"role": "user", "content": OLD_JUDGE_MANY.format(
                             hypothesis=hypothesis, texts=blocks)}],
                        max_tokens=8 * len(texts) + 16)


if __name__ == "__main__":
    main()
