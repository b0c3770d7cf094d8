"""The testing kit: check_judge / check_proposer over every registry spec that can be built
offline, and MockTransport under the real chat client."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.errors import BackendError
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.judges.llm import build_judge
from wordlens.llm.client import ChatClient, ChatReply, GarbageReply, make_request
from wordlens.proposers.base import Proposer
from wordlens.proposers.llm import build_proposer
from wordlens.registry import SPECS, make_judge, make_proposer
from wordlens.testing import (
    HYPOTHESES,
    TEXTS_A,
    TEXTS_B,
    MockTransport,
    check_judge,
    check_proposer,
)

from .llm_server import ScriptedLLMServer

LLM = {"openai", "openai-compatible", "transformers"}


def _ids(role):
    return [s.prefix for s in SPECS if s.role == role]


@pytest.mark.parametrize("prefix", _ids("judge"))
def test_every_offline_judge_spec_keeps_the_judge_contract(prefix, distilled, tmp_path):
    if prefix in LLM:
        pytest.skip(f"{prefix}: needs a model server or model files; the LLM judge is "
                    "checked over MockTransport in test_llm_judge_keeps_the_contract")
    spec = prefix
    if prefix == "student":
        student, _ = distilled
        student.save(tmp_path / "student")
        spec = f"student:{tmp_path / 'student'}"
    hyps = HYPOTHESES
    if prefix == "exact":  # judges only hypotheses with a programmatic form
        hyps = make_proposer("properties").propose(list(TEXTS_A), list(TEXTS_B))[:4]
        assert len(hyps) == 4 and all(h.form for h in hyps)
    m = check_judge(make_judge(spec), hyps)
    assert m.shape == (4, 8)


@pytest.mark.parametrize("prefix", _ids("proposer"))
def test_every_offline_proposer_spec_keeps_the_proposer_contract(prefix):
    if prefix in LLM:
        pytest.skip(f"{prefix}: needs a model server or model files; the LLM proposer is "
                    "checked over MockTransport in test_llm_proposer_keeps_the_contract")
    if prefix == "learned":
        pytest.skip("learned: needs a trained folder (learned:FOLDER); "
                    "test_learned_proposer.py checks the one it trains")
    hyps = check_proposer(make_proposer(prefix), min_hypotheses=0 if prefix == "stance" else 1)
    assert all(isinstance(h, Hypothesis) for h in hyps)


def test_llm_judge_keeps_the_contract():
    for mode in ({"batch_size": 1}, {"batch_size": 4}, {"hypotheses_per_call": 2}):
        j = build_judge("scripted", transport=ScriptedLLMServer().transport(), cache=False,
                        **mode)
        m = check_judge(j)
        assert m[0, 4] > 0.5 and m[0, 0] < 0.5  # sports text vs phone review


def test_llm_proposer_keeps_the_contract():
    p = build_proposer("scripted", transport=ScriptedLLMServer().transport(), cache=False)
    texts = [h.text for h in check_proposer(p)]
    assert "expresses a positive opinion" in texts


# -- the checks fail on broken judges and proposers ------------------------------------------
class _Shape(Judge):
    def judge_matrix(self, hypotheses, texts):
        return np.zeros((len(texts), len(hypotheses)))


class _Range(Judge):
    def judge_matrix(self, hypotheses, texts):
        return np.full((len(hypotheses), len(texts)), 1.5)


class _Random(Judge):
    def judge_matrix(self, hypotheses, texts):
        return np.random.default_rng().random((len(hypotheses), len(texts)))


class _Batchy(Judge):  # a text's answer depends on how many texts came with it
    def judge_matrix(self, hypotheses, texts):
        return np.full((len(hypotheses), len(texts)), 1 / len(texts))


@pytest.mark.parametrize("judge, rule", [(_Shape(), "shape"), (_Range(), "outside"),
                                         (_Random(), "deterministic"),
                                         (_Batchy(), "some texts")])
def test_check_judge_names_the_broken_rule(judge, rule):
    with pytest.raises(AssertionError, match=rule):
        check_judge(judge)


class _Dup(Proposer):
    def propose(self, a, b, goal=None, *, seed=0):
        return [Hypothesis("is about sports"), Hypothesis("is about sports")]


class _Strings(Proposer):
    def propose(self, a, b, goal=None, *, seed=0):
        return ["is about sports"]


@pytest.mark.parametrize("proposer, rule", [(_Dup(), "twice"), (_Strings(), "Hypothesis")])
def test_check_proposer_names_the_broken_rule(proposer, rule):
    with pytest.raises(AssertionError, match=rule):
        check_proposer(proposer)


# -- MockTransport ---------------------------------------------------------------------------
def _req(text="hello"):
    return make_request([{"role": "user", "content": text}], max_tokens=4)


def test_mock_transport_answers_through_the_client_with_usage_and_cache(tmp_path):
    from wordlens.cache import Cache

    t = MockTransport(lambda r: r["messages"][0]["content"].upper(), name="echo")
    c = ChatClient(t, cache=Cache(tmp_path / "c"))
    assert c.chat(_req("abc")).text == "ABC" and c.chat(_req("abc")).text == "ABC"
    assert len(t.requests) == 1 and c.usage.calls == 1 and c.usage.cached_calls == 1
    assert c.usage.tokens_in == len("abc") // 4 + 1
    reply = ChatReply("yes", [{"yes": -0.1, "no": -2.4}], 7, 1)
    assert ChatClient(MockTransport(lambda r: reply)).chat(_req()) == reply


def test_mock_transport_transient_errors_are_retried_and_others_fail():
    n = [0]

    def flaky(request):
        n[0] += 1
        if n[0] < 3:
            raise GarbageReply("half a reply")
        return "ok"

    c = ChatClient(MockTransport(flaky), max_attempts=5, backoff_initial=0.001,
                   backoff_max=0.01)
    assert c.chat(_req()).text == "ok" and n[0] == 3 and c.usage.retries == 2

    def broken(request):
        raise RuntimeError("boom")

    with pytest.raises(BackendError, match="mock:mock"):
        ChatClient(MockTransport(broken), max_attempts=5).chat(_req())
