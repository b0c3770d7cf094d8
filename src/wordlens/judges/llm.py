"""LLM judge: the probability that a hypothesis holds for a text, from yes/no token
log-probabilities where the backend gives them, else from the parsed answer."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import InputError
from ..hypothesis import Hypothesis
from ..llm.client import ChatClient, ChatReply, make_request
from ..llm.factory import build_client
from ..llm.prompts import (
    FORMAT_PLACEHOLDER,
    JUDGE_MANY,
    JUDGE_MULTI,
    JUDGE_ONE,
    JUDGE_SYSTEM,
    item_ids,
    text_block,
)
from ..llm.spec import ModelSpec
from .base import Judge

_WORD = re.compile(r"[a-z]+")
_ANSWER = re.compile(r"^\W*(?:text|id|property)?\s*\[?([<>\w]{1,12}?)\]?\W*\s*[:.)\-=]\s*\W*"
                     r"(yes|no|true|false)\b", re.I | re.M)


def build_judge(spec: str | ModelSpec, *, batch_size: int | None = None,
                hypotheses_per_call: int = 1, **client_kw: Any) -> LLMJudge:
    """An :class:`LLMJudge` on a client for ``spec`` (``client_kw`` as
    :func:`~wordlens.llm.factory.build_client`); batches 8 texts per request over an API,
    1 (with log-probs) for a local transformers model; ``hypotheses_per_call`` K > 1 asks
    about one text and up to K hypotheses per request (then ``batch_size`` must be 1 or
    unset)."""
    if hypotheses_per_call < 1:
        raise InputError(f"--judge-hypotheses-per-call must be at least 1, got "
                         f"{hypotheses_per_call}")
    if batch_size is not None and batch_size < 1:
        raise InputError(f"--judge-batch must be at least 1, got {batch_size}")
    if hypotheses_per_call > 1 and batch_size not in (None, 1):
        raise InputError("--judge-hypotheses-per-call > 1 asks about one text per request: "
                         "leave out --judge-batch or set it to 1")
    client = build_client(spec, **client_kw)
    if batch_size is None:
        local = client.transport.cache_name.startswith("transformers:")
        batch_size = 1 if local or hypotheses_per_call > 1 else 8
    return LLMJudge(client, batch_size=batch_size, hypotheses_per_call=hypotheses_per_call)


class LLMJudge(Judge):
    """Ask a chat model, for each hypothesis, whether it holds for each text.

    Parameters
    ----------
    client: a :class:`~wordlens.llm.client.ChatClient` (cached, retried, budgeted).
    batch_size: texts per request. 1 asks one text at a time and reads yes/no
        log-probabilities (soft probabilities); more saves the repeated instructions and
        reads one ``<id>: yes|no`` line per text (0/1 judgments).
    hypotheses_per_call: hypotheses per request about one text (K > 1 needs
        ``batch_size`` 1): the reply is a JSON object of yes/no per hypothesis id (0/1).
    max_text_chars: longer texts are cut (stated in ``describe``).

    A batched reply is checked before it is used: one that answers an id not asked, answers
    an id twice with different answers, or copies the prompt's format example is rejected
    and all its items are asked again one at a time; items it leaves out are asked again
    one at a time too. ``describe()`` counts both.
    """

    name = "llm"
    expensive = True
    #: diff judges a few control hypotheses with this judge (wordlens.controls)
    controls_by_default = True

    def __init__(self, client: ChatClient, *, batch_size: int = 8,
                 hypotheses_per_call: int = 1, max_text_chars: int = 2000):
        super().__init__()
        if hypotheses_per_call > 1 and batch_size > 1:
            raise InputError("several hypotheses per call need one text per call: use "
                             "batch_size 1 (--judge-batch 1) with hypotheses_per_call > 1")
        self.client = client
        self.batch_size = batch_size
        self.hypotheses_per_call = hypotheses_per_call
        self.max_text_chars = max_text_chars
        self.n_logprob = 0
        self.n_parsed = 0
        self.n_unparsed = 0
        self.rejected: Counter = Counter()
        self.n_missing = 0

    # -- building and reading requests ---------------------------------------------------
    def _request_one(self, h: Hypothesis, text: str) -> dict[str, Any]:
        user = JUDGE_ONE.format(hypothesis=h.text,
                                texts=text_block(text, "1", self.max_text_chars))
        return make_request([{"role": "system", "content": JUDGE_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=2, logprobs=True, top_logprobs=10)

    def _request_many(self, h: Hypothesis, texts: Sequence[str], ids: list[str]
                      ) -> dict[str, Any]:
        blocks = "\n".join(text_block(t, i, self.max_text_chars) for i, t in zip(ids, texts))
        user = JUDGE_MANY.format(hypothesis=h.text, texts=blocks)
        return make_request([{"role": "system", "content": JUDGE_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=8 * len(texts) + 16)

    def _request_multi(self, hyps: Sequence[Hypothesis], text: str, ids: list[str]
                       ) -> dict[str, Any]:
        props = "\n".join(f"[{i}] {h.text}" for i, h in zip(ids, hyps))
        user = JUDGE_MULTI.format(texts=text_block(text, "1", self.max_text_chars),
                                  properties=props)
        return make_request([{"role": "system", "content": JUDGE_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=10 * len(hyps) + 16)

    def _read_one(self, reply: ChatReply) -> float:
        p = yes_probability(reply.top_logprobs)
        if p is not None:
            self.n_logprob += 1
            return p
        ans = first_yes_no(reply.text)
        if ans is None:
            self.n_unparsed += 1
            return 0.5
        self.n_parsed += 1
        return ans

    # -- Judge API -----------------------------------------------------------------------
    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        pairs = [(h, t) for h in hypotheses for t in texts]
        return self._judge_pairs(pairs).reshape(len(hypotheses), len(texts))

    def judge_pairs(self, pairs: Sequence[tuple[Hypothesis | str, str]]) -> np.ndarray:
        """Probabilities for a chosen list of (hypothesis, text) pairs, in order: pairs of
        one hypothesis are batched (``batch_size``), or pairs of one text share a request
        (``hypotheses_per_call``), exactly as in :meth:`judge`."""
        pairs = [(h if isinstance(h, Hypothesis) else Hypothesis(str(h)), str(t))
                 for h, t in pairs]
        if not pairs:
            return np.zeros(0)
        out = self._judge_pairs(pairs)
        self.judgments_made += len(pairs)
        return np.clip(np.nan_to_num(out, nan=0.5), 0.0, 1.0)

    def _judge_pairs(self, pairs: list[tuple[Hypothesis, str]]) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        groups = self._groups(pairs)
        reqs = []
        multi = self.hypotheses_per_call > 1  # then a lone hypothesis uses the same prompt
        for g in groups:
            ids = item_ids(len(g))
            if multi:
                reqs.append(self._request_multi([pairs[k][0] for k in g], pairs[g[0]][1], ids))
            elif len(g) == 1:
                reqs.append(self._request_one(*pairs[g[0]]))
            else:
                reqs.append(self._request_many(pairs[g[0]][0], [pairs[k][1] for k in g], ids))
        again: list[int] = []
        for g, reply in zip(groups, self.client.chat_many(reqs)):
            if len(g) == 1 and not multi:
                out[g[0]] = self._read_one(reply)
                continue
            ids = item_ids(len(g))
            answers, problem = parse_answers(reply.text, ids)
            if problem:
                self.rejected[problem] += 1
                again += g
                continue
            for k, i in zip(g, ids):
                if i in answers:
                    self.n_parsed += 1
                    out[k] = answers[i]
                else:
                    self.n_missing += 1
                    again.append(k)
        if again:  # ask what a batched reply left out or got wrong one pair at a time
            replies = self.client.chat_many([self._request_one(*pairs[k]) for k in again])
            for k, reply in zip(again, replies):
                out[k] = self._read_one(reply)
        return out

    def _groups(self, pairs: list[tuple[Hypothesis, str]]) -> list[list[int]]:
        """Indices of the pairs that share one request, in first-seen order."""
        per_call = self.hypotheses_per_call if self.hypotheses_per_call > 1 else self.batch_size
        by: dict[Any, list[int]] = {}
        for k, (h, t) in enumerate(pairs):
            by.setdefault(t if self.hypotheses_per_call > 1 else h.key, []).append(k)
        size = max(1, int(per_call))
        return [ks[s:s + size] for ks in by.values() for s in range(0, len(ks), size)]

    def usage(self) -> dict[str, int] | None:
        """The chat client's usage so far."""
        u = self.client.usage
        return {"calls": u.calls, "cached_calls": u.cached_calls, "tokens_in": u.tokens_in,
                "tokens_out": u.tokens_out}

    def describe(self) -> dict[str, Any]:
        t = self.client.transport
        spec = getattr(t, "spec", None)
        judged = self.n_logprob + self.n_parsed + self.n_unparsed
        how = ("yes/no token log-probabilities" if self.n_logprob and not self.n_parsed else
               "parsed yes/no answers" if not self.n_logprob else
               "yes/no log-probabilities where given, parsed answers otherwise")
        d = {"name": f"llm:{t.cache_name}", "class": type(self).__name__,
             "model": spec.to_dict() if spec else t.cache_name,
             "batch_size": self.batch_size, "hypotheses_per_call": self.hypotheses_per_call,
             "max_text_chars": self.max_text_chars,
             "probabilities": how, "from_logprobs": self.n_logprob,
             "from_parsed_answers": self.n_parsed, "unparsed_answers_as_0.5": self.n_unparsed,
             "judged": judged, "rejected_batched_replies": dict(self.rejected),
             "items_missing_from_batched_replies": self.n_missing, **self.client.describe()}
        if getattr(t, "chat_template_used", None) is False:
            d["note"] = "tokenizer has no chat template: a plain role-prefixed prompt was used"
        return d


def _norm(token: str) -> str:
    m = _WORD.search(token.lower())
    return m.group(0) if m else ""


def yes_probability(top_logprobs: list[dict[str, float]] | None) -> float | None:
    """P(yes) / (P(yes) + P(no)) at the first generated position that offers either."""
    for cand in top_logprobs or []:
        y = sum(math.exp(v) for t, v in cand.items() if _norm(t) in ("yes", "true"))
        n = sum(math.exp(v) for t, v in cand.items() if _norm(t) in ("no", "false"))
        if y + n > 0:
            return y / (y + n)
    return None


def first_yes_no(text: str) -> float | None:
    for w in _WORD.findall((text or "").lower())[:5]:
        if w in ("yes", "true"):
            return 1.0
        if w in ("no", "false"):
            return 0.0
    return None


#: why a batched reply was rejected (keys of ``LLMJudge.rejected``)
REJECTIONS = {"copied_example": "copies the prompt's format example",
              "unknown_ids": "answers ids that were not asked",
              "conflicting": "answers one id twice, differently"}


def parse_answers(text: str, ids: Sequence[str]) -> tuple[dict[str, float], str | None]:
    """Yes/no per asked id from ``<id>: yes`` lines or a JSON object ``{"<id>": "yes"}``,
    and the reason to reject the whole reply (a key of :data:`REJECTIONS`) or None."""
    import json

    asked = {i.lower() for i in ids}
    if FORMAT_PLACEHOLDER in (text or "").lower():
        return {}, "copied_example"
    found: list[tuple[str, float]] = []
    try:
        data = json.loads(_strip_fence(text))
    except (ValueError, TypeError):
        data = None
    if isinstance(data, dict):
        for k, v in data.items():
            ans = float(v) if isinstance(v, bool) else first_yes_no(str(v))
            if ans is not None:
                found.append((str(k).strip().strip("[]").lower(), ans))
    else:
        found = [(m.group(1).lower(), 1.0 if m.group(2).lower() in ("yes", "true") else 0.0)
                 for m in _ANSWER.finditer(text or "")]
    out: dict[str, float] = {}
    for k, ans in found:
        if k not in asked:
            return {}, "unknown_ids"
        if out.get(k, ans) != ans:
            return {}, "conflicting"
        out[k] = ans
    return out, None


def _strip_fence(text: str) -> str:
    t = (text or "").strip()
    if t.startswith("```"):
        t = t.strip("`")
        t = t[4:] if t.lower().startswith("json") else t
    return t.strip()
