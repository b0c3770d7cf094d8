"""Real SmolLM2-135M replies (tests/data/llm_replies/, recorded from a llama.cpp server with
scripts/record_llm_replies.py) replayed through the scripted test server: no junk hypothesis
is kept and no copied or foreign batched answer is accepted.

Each fixture carries hand labels: ``acceptable`` lists the raw items that read as a
hypothesis (proposer replies); ``copies_example`` says which batched replies copy the
prompt's format example or answer ids the prompt did not ask.
"""

import json
from pathlib import Path

import pytest

from wordlens.errors import BackendError
from wordlens.hypothesis import Hypothesis
from wordlens.judges.llm import build_judge, parse_answers
from wordlens.llm.parsing import parse_hypotheses
from wordlens.llm.prompts import PROPOSER_EXAMPLES, item_ids
from wordlens.proposers.llm import build_proposer

from .llm_server import ScriptedLLMServer

DATA = Path(__file__).parent / "data" / "llm_replies"
FAST = {"timeout": 0.5, "backoff_initial": 0.01, "max_attempts": 4, "cache": False}
A = [f"Great phone, I love the software update {i}." for i in range(30)]
B = [f"The team won the match in game {i}." for i in range(30)]


def fixture(kind: str) -> dict:
    return json.loads((DATA / f"smollm2_{kind}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["propose", "propose_old_prompt"])
def test_recorded_proposer_replies_yield_no_junk_hypothesis(kind):
    fx = fixture(kind)
    kept = [h for r in fx["replies"]
            for h in parse_hypotheses(r, examples=PROPOSER_EXAMPLES).kept]
    assert [h for h in kept if h not in fx["acceptable"]] == []  # 0 junk kept
    srv = ScriptedLLMServer(replies={"propose": fx["replies"]})
    p = build_proposer("scripted", transport=srv.transport(), **FAST)
    try:
        hyps = [h.text for h in p.propose(A, B, seed=0)]
    except BackendError as exc:  # a model that gives no hypothesis is an error
        assert "no usable hypothesis" in str(exc)
        hyps = []
    assert [h for h in hyps if h not in fx["acceptable"]] == []
    print(f"{kind}: {len(fx['replies'])} replies, {len(kept)} items kept, all acceptable")


@pytest.mark.parametrize("kind", ["judge_many", "judge_many_old_prompt", "judge_multi"])
def test_recorded_batched_replies_that_copy_the_example_are_rejected(kind):
    fx = fixture(kind)
    n = 3 if kind == "judge_multi" else 8
    for reply, copied in zip(fx["replies"], fx["copies_example"]):
        answers, problem = parse_answers(reply, item_ids(n))
        if copied:
            assert problem is not None and answers == {}, reply


@pytest.mark.parametrize("kind,mode", [("judge_many", {"batch_size": 4}),
                                       ("judge_many_old_prompt", {"batch_size": 4}),
                                       ("judge_multi", {"hypotheses_per_call": 2})])
def test_recorded_batched_replies_replayed_end_to_end_give_no_accepted_answer(kind, mode):
    # In these recordings SmolLM2 never wrote an answer line for an id it was asked about:
    # it copied the old format example ("1: yes / 2: no") or wrote prose. So no batched
    # answer may be accepted, and every pair must be asked again on its own.
    fx = fixture(kind)
    hyps = [Hypothesis("is about sports"), Hypothesis("is about technology")]
    with ScriptedLLMServer(replies={"judge_many": fx["replies"],
                                    "judge_multi": fx["replies"]}) as srv:
        j = build_judge("scripted", transport=srv.transport(), **mode, **FAST)
        m = j.judge(hyps, A[:4] + B[:4])
    d = j.describe()
    assert d["from_parsed_answers"] == 0  # 0 copied answers accepted
    assert d["from_logprobs"] == m.size  # every pair asked again on its own
    assert (m[1, :4] > 0.5).all() and (m[1, 4:] < 0.5).all()
    assert (m[0, 4:] > 0.5).all() and (m[0, :4] < 0.5).all()
