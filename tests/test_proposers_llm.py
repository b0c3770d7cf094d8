import pytest

from wordlens.errors import BackendError
from wordlens.proposers.llm import build_proposer

from .llm_server import ScriptedLLMServer

FAST = {"timeout": 0.5, "backoff_initial": 0.01, "max_attempts": 4, "cache": False}
A = [f"Great phone, I love the software update {i}." for i in range(30)]
B = [f"The team won the match in game {i}." for i in range(30)]
JUNK = '{\n "INFO_SUGGESTIONS": [\n "langCode": "en_US",\n "name": "groupA1"\n}'


def test_a_reply_with_no_hypothesis_is_reasked_with_other_texts_and_counted():
    good = '["is about technology", "expresses a positive opinion"]'
    srv = ScriptedLLMServer(replies={"propose": [JUNK, good, good, good, good]})
    p = build_proposer("scripted", transport=srv.transport(), **FAST)
    hyps = p.propose(A, B, seed=0)
    prompts = [e for e in srv.log if e["kind"] == "propose"]
    assert [h.text for h in hyps] == ["is about technology", "expresses a positive opinion"]
    d = p.describe()
    assert len(prompts) == 5 and len({e["sha"] for e in prompts}) == 5  # a new request
    assert d["failed_replies"] == 1 and d["failed_rounds"] == 0
    assert d["dropped_items"]["JSON or markup fragments"] == 5
    assert "did not look like a hypothesis" in d["notes"][0]


def test_a_model_that_never_gives_a_hypothesis_is_an_error_not_junk():
    srv = ScriptedLLMServer(replies={"propose": [JUNK]})
    p = build_proposer("scripted", transport=srv.transport(), **FAST)
    with pytest.raises(BackendError, match="no usable hypothesis in 4 rounds"):
        p.propose(A, B, seed=0)
    assert sum(e["kind"] == "propose" for e in srv.log) == 4 * 3  # rounds x attempts
