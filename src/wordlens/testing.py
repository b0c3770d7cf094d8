"""A testing kit for code that plugs into wordlens: contract checks for a judge or a proposer,
and a transport that answers LLM requests from a Python function (no HTTP server).

    from wordlens.testing import check_judge, check_proposer, MockTransport

    check_judge(MyJudge())            # AssertionError naming the broken rule
    check_proposer(MyProposer())
    client = ChatClient(MockTransport(lambda request: "yes"))
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .hypothesis import Hypothesis
from .judges.base import Judge
from .llm.client import ChatReply, GarbageReply
from .proposers.base import Proposer

__all__ = ["HYPOTHESES", "TEXTS_A", "TEXTS_B", "MockTransport", "check_judge",
           "check_proposer"]

#: hypotheses check_judge uses by default: free text and ones with a programmatic form
HYPOTHESES = ("is about sports", "expresses a positive opinion", "asks a question",
              "mentions money or prices")
#: two small corpora that differ (product praise with prices and questions vs sports news)
_A = ("I love this phone, the camera is excellent.", "Great price, only $20 and it works!",
      "Would you recommend it? I think it is the best blender.",
      "Wonderful headphones, the sound is amazing.", "Is it worth $300? Yes, absolutely.",
      "Perfect gift, my kids enjoy it every day.", "Cheap and good, I would buy it again.",
      "Excellent battery life for the money.", "Does anyone else love the new colour?",
      "Best purchase this year, five stars.")
_B = ("The team won the cup final after extra time.", "The coach praised each player.",
      "A late goal decided the derby on Saturday.", "The season ends with a title match.",
      "The striker signed a new contract with the club.", "Rain delayed the tennis final.",
      "The championship resumes next week.", "Fans cheered as the game went to penalties.",
      "The captain was injured in the second half.", "The league announced the fixtures.")
TEXTS_A = _A + tuple(t + " Really." for t in _A)
TEXTS_B = _B + tuple(t + " Officials said." for t in _B)


# -- judges ----------------------------------------------------------------------------------
def check_judge(judge: Judge, hypotheses: Sequence[str | Hypothesis] = HYPOTHESES,
                texts: Sequence[str] = TEXTS_A[:4] + TEXTS_B[:4], *, atol: float = 1e-6,
                independent_texts: bool = True) -> np.ndarray:
    """Check the contract of ``judge`` on a few hypotheses and texts; return its matrix.

    ``judge_matrix`` gives a finite float array of shape [H x N] with values in [0, 1];
    ``judge`` gives the same, counts H x N judgments, and an empty [H x 0] / [0 x N] array
    for no texts / no hypotheses; the same call twice gives the same numbers; judging some
    of the hypotheses or texts gives the same numbers as those rows and columns of the whole
    matrix (``independent_texts=False`` drops the column check, for a judge whose answer for
    one text may depend on the others sent with it); ``judge_pairs`` agrees with the matrix;
    ``describe()`` is JSON-safe with a ``name``; ``caveat()`` is None or text. Raises
    AssertionError naming the rule that fails.
    """
    hyps = [h if isinstance(h, Hypothesis) else Hypothesis(str(h)) for h in hypotheses]
    texts = list(texts)
    assert hyps and len(texts) >= 2, "check_judge needs hypotheses and at least two texts"
    name = type(judge).__name__
    raw = np.asarray(judge.judge_matrix(hyps, texts), dtype=float)
    assert raw.shape == (len(hyps), len(texts)), (
        f"{name}.judge_matrix: shape {raw.shape}, expected {(len(hyps), len(texts))}")
    assert np.isfinite(raw).all(), f"{name}.judge_matrix: NaN or infinite values"
    assert raw.min() >= -atol and raw.max() <= 1 + atol, (
        f"{name}.judge_matrix: values outside [0, 1] ({raw.min():.3g} .. {raw.max():.3g})")

    spent = judge.meter()
    m = judge.judge(hyps, texts)
    assert isinstance(m, np.ndarray) and m.dtype.kind == "f", f"{name}.judge: not a float array"
    assert spent.judgments == m.size, (
        f"{name}.judge: counted {spent.judgments} judgments for {m.size}")
    assert np.allclose(judge.judge(hyps, texts), m, atol=atol), (
        f"{name}: not deterministic (the same call twice gave different numbers)")
    assert np.allclose(m, raw, atol=atol), (
        f"{name}: not deterministic (judge and judge_matrix gave different numbers)")
    assert judge.judge(hyps, []).shape == (len(hyps), 0), f"{name}.judge: no texts"
    assert judge.judge([], texts).shape == (0, len(texts)), f"{name}.judge: no hypotheses"
    assert np.allclose(judge.judge(hyps[-1:], texts), m[-1:], atol=atol), (
        f"{name}: judging one hypothesis alone differs from its row of the matrix")
    if independent_texts:
        assert np.allclose(judge.judge(hyps, texts[1:3]), m[:, 1:3], atol=atol), (
            f"{name}: judging some texts differs from their columns of the matrix")
    pairs = [(i, k) for i in range(len(hyps)) for k in range(len(texts)) if (i + k) % 3 == 0]
    got = judge.judge_pairs([(hyps[i], texts[k]) for i, k in pairs])
    want = np.array([m[i, k] for i, k in pairs])
    assert np.shape(got) == want.shape, f"{name}.judge_pairs: shape {np.shape(got)}"
    if independent_texts:
        assert np.allclose(got, want, atol=atol), f"{name}.judge_pairs differs from the matrix"
    _check_describe(judge, name)
    caveat = judge.caveat()
    assert caveat is None or (isinstance(caveat, str) and caveat.strip()), (
        f"{name}.caveat: must be None or text")
    return m


# -- proposers -------------------------------------------------------------------------------
def check_proposer(proposer: Proposer, a: Sequence[str] = TEXTS_A,
                   b: Sequence[str] = TEXTS_B, goal: str | None = "what the texts are about",
                   *, seed: int = 0, min_hypotheses: int = 1) -> list[Hypothesis]:
    """Check the contract of ``proposer.propose(a, b, goal, seed=...)``; return its output.

    It returns a list of at least ``min_hypotheses`` :class:`Hypothesis` with non-empty,
    distinct texts (by ``Hypothesis.key``); the same call again gives the same list; a call
    without a goal and one on three texts a side return lists of Hypothesis too;
    ``describe()`` is JSON-safe with a ``name``. Raises AssertionError naming the rule.
    """
    name = type(proposer).__name__
    out = proposer.propose(list(a), list(b), goal, seed=seed)
    _check_hypotheses(out, name, min_hypotheses)
    again = proposer.propose(list(a), list(b), goal, seed=seed)
    assert [h.text for h in again] == [h.text for h in out], (
        f"{name}.propose: not deterministic for a fixed seed")
    _check_hypotheses(proposer.propose(list(a), list(b), None, seed=seed), name, 0)
    _check_hypotheses(proposer.propose(list(a[:3]), list(b[:3]), goal, seed=seed), name, 0)
    _check_describe(proposer, name)
    return out


def _check_hypotheses(out: Any, name: str, at_least: int) -> None:
    assert isinstance(out, list), f"{name}.propose: returned {type(out).__name__}, not a list"
    assert len(out) >= at_least, f"{name}.propose: {len(out)} hypotheses, expected some"
    bad = [h for h in out if not isinstance(h, Hypothesis)]
    assert not bad, f"{name}.propose: not Hypothesis objects: {bad[:3]!r}"
    empty = [h for h in out if not h.text or not h.text.strip()]
    assert not empty, f"{name}.propose: empty hypothesis texts"
    keys = [h.key for h in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    assert not dup, f"{name}.propose: the same hypothesis twice: {dup[:3]}"


def _check_describe(obj: Judge | Proposer, name: str) -> None:
    d = obj.describe()
    assert isinstance(d, dict) and isinstance(d.get("name"), str) and d["name"], (
        f"{name}.describe: must be a dict with a 'name'")
    try:
        json.dumps(d, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"{name}.describe: not JSON-safe ({exc})") from None


# -- LLM transport ---------------------------------------------------------------------------
class MockTransport:
    """A :class:`wordlens.llm.client.Transport` that answers each request with
    ``handler(request)``: a string (the reply text) or a
    :class:`~wordlens.llm.client.ChatReply` (with log-probabilities or token counts).

    ``request`` is the canonical request the client sends (``messages``, ``max_tokens``,
    ``temperature``, and ``logprobs``/``top_logprobs`` when asked). The handler may raise:
    :class:`~wordlens.llm.client.GarbageReply`, ``TimeoutError`` and ``ConnectionError`` are
    transient (the client retries them), anything else fails the call. Token counts of a
    string reply are characters / 4 (+1), as the scripted test server counts them.
    ``requests`` lists every request received, in order. Use it with
    ``ChatClient(MockTransport(f))`` or ``build_client(spec, transport=MockTransport(f))``.
    """

    supports_logprobs = True

    def __init__(self, handler: Callable[[dict[str, Any]], str | ChatReply], *,
                 name: str = "mock", concurrency: int = 4):
        self.handler = handler
        #: cache namespace (never a key or URL)
        self.cache_name = f"mock:{name}"
        self.default_concurrency = concurrency
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def complete(self, request: dict[str, Any]) -> ChatReply:
        with self._lock:
            self.requests.append(request)
        out = self.handler(request)
        if isinstance(out, ChatReply):
            return out
        if isinstance(out, str):
            prompt = "\n".join(m["content"] for m in request["messages"])
            return ChatReply(out, None, len(prompt) // 4 + 1, len(out) // 4 + 1)
        raise TypeError(f"MockTransport handler returned {type(out).__name__}, "
                        "not text or a ChatReply")

    def is_transient(self, exc: BaseException) -> bool:
        return isinstance(exc, (GarbageReply, TimeoutError, ConnectionError))
