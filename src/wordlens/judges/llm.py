"""LLM judge: the probability that a hypothesis holds for a text, from yes/no token
log-probabilities where the backend gives them, else from the parsed answer."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..llm.client import ChatClient, ChatReply, make_request
from ..llm.prompts import JUDGE_MANY, JUDGE_ONE, JUDGE_SYSTEM, text_block
from .base import Judge

_WORD = re.compile(r"[a-z]+")
_LINE = re.compile(r"^\W*(?:text\s*)?(\d+)\s*[:.)\-=]\s*\W*(yes|no|true|false)\b", re.I | re.M)


class LLMJudge(Judge):
    """Ask a chat model, for each hypothesis, whether it holds for each text.

    Parameters
    ----------
    client: a :class:`~wordlens.llm.client.ChatClient` (cached, retried, budgeted).
    batch_size: texts per request. 1 asks one text at a time and reads yes/no
        log-probabilities (soft probabilities); more saves the repeated instructions and
        reads one yes/no line per text (0/1 judgments). Texts missing from a batched answer
        are asked again one at a time.
    max_text_chars: longer texts are cut (stated in ``describe``).
    """

    name = "llm"
    expensive = True

    def __init__(self, client: ChatClient, *, batch_size: int = 8, max_text_chars: int = 2000):
        super().__init__()
        self.client = client
        self.batch_size = batch_size
        self.max_text_chars = max_text_chars
        self.n_logprob = 0
        self.n_parsed = 0
        self.n_unparsed = 0

    # -- building and reading requests ---------------------------------------------------
    def _request_one(self, h: Hypothesis, text: str) -> dict[str, Any]:
        user = JUDGE_ONE.format(hypothesis=h.text,
                                texts=text_block(text, "1", self.max_text_chars))
        return make_request([{"role": "system", "content": JUDGE_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=2, logprobs=True, top_logprobs=10)

    def _request_many(self, h: Hypothesis, texts: Sequence[str]) -> dict[str, Any]:
        blocks = "\n".join(text_block(t, str(i + 1), self.max_text_chars)
                           for i, t in enumerate(texts))
        user = JUDGE_MANY.format(hypothesis=h.text, texts=blocks)
        return make_request([{"role": "system", "content": JUDGE_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=8 * len(texts) + 16)

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
        out = np.full((len(hypotheses), len(texts)), np.nan)
        size = max(1, int(self.batch_size))
        jobs, reqs = [], []
        for i, h in enumerate(hypotheses):
            for start in range(0, len(texts), size):
                cols = list(range(start, min(start + size, len(texts))))
                jobs.append((i, cols))
                reqs.append(self._request_one(h, texts[cols[0]]) if len(cols) == 1 else
                            self._request_many(h, [texts[c] for c in cols]))
        missing: list[tuple[int, int]] = []
        for (i, cols), reply in zip(jobs, self.client.chat_many(reqs)):
            if len(cols) == 1:
                out[i, cols[0]] = self._read_one(reply)
                continue
            answers = parse_batch(reply.text, len(cols))
            for k, c in enumerate(cols):
                if answers.get(k + 1) is None:
                    missing.append((i, c))
                else:
                    self.n_parsed += 1
                    out[i, c] = answers[k + 1]
        if missing:  # ask the texts a batched answer left out one at a time
            replies = self.client.chat_many([self._request_one(hypotheses[i], texts[c])
                                             for i, c in missing])
            for (i, c), reply in zip(missing, replies):
                out[i, c] = self._read_one(reply)
        return out

    def describe(self) -> dict[str, Any]:
        t = self.client.transport
        spec = getattr(t, "spec", None)
        judged = self.n_logprob + self.n_parsed + self.n_unparsed
        how = ("yes/no token log-probabilities" if self.n_logprob and not self.n_parsed else
               "parsed yes/no answers" if not self.n_logprob else
               "yes/no log-probabilities where given, parsed answers otherwise")
        d = {"name": f"llm:{t.cache_name}", "class": type(self).__name__,
             "model": spec.to_dict() if spec else t.cache_name,
             "batch_size": self.batch_size, "max_text_chars": self.max_text_chars,
             "probabilities": how, "from_logprobs": self.n_logprob,
             "from_parsed_answers": self.n_parsed, "unparsed_answers_as_0.5": self.n_unparsed,
             "judged": judged, **self.client.describe()}
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


def parse_batch(text: str, n: int) -> dict[int, float]:
    """Read ``1: yes`` lines (or a JSON object / list of yes/no) for ids 1..n."""
    import json

    out: dict[int, float] = {}
    for m in _LINE.finditer(text or ""):
        k = int(m.group(1))
        if 1 <= k <= n and k not in out:
            out[k] = 1.0 if m.group(2).lower() in ("yes", "true") else 0.0
    if out:
        return out
    try:
        data = json.loads(_strip_fence(text))
    except (ValueError, TypeError):
        return out
    items = (list(data.items()) if isinstance(data, dict) else
             list(enumerate(data, start=1)) if isinstance(data, list) else [])
    for k, v in items:
        try:
            k = int(k)
        except (TypeError, ValueError):
            continue
        ans = first_yes_no(str(v).lower()) if not isinstance(v, bool) else float(v)
        if 1 <= k <= n and ans is not None:
            out[k] = ans
    return out


def _strip_fence(text: str) -> str:
    t = (text or "").strip()
    if t.startswith("```"):
        t = t.strip("`")
        t = t[4:] if t.lower().startswith("json") else t
    return t.strip()
