"""The Judge interface: hypotheses x texts -> probability matrix."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis

#: ``describe()`` keys that identify what a judge's judgments are (counters, usage and server
#: addresses are left out): a student distilled from one teacher is reused for another only
#: when these match
IDENTITY_KEYS = ("name", "class", "model", "batch_size", "max_text_chars", "encoder", "k",
                 "n_references", "temperature", "template")


@dataclass(frozen=True)
class JudgeTags:
    """What a judge declares about itself (:attr:`Judge.tags`), read instead of probed.

    expensive: each judgment costs real money or time (an LLM): diff verifies amortized by
        default, explain proposes fewer candidates.
    controls_by_default: diff judges the control hypotheses (wordlens.controls) unless told
        not to.
    identity: the ``describe()`` keys that identify its judgments (caching students).
    usage: it reports model usage (:meth:`Judge.usage`: calls and tokens).
    """

    expensive: bool = False
    controls_by_default: bool = False
    identity: tuple[str, ...] = IDENTITY_KEYS
    usage: bool = False


class Judge(ABC):
    """Decides, for each (hypothesis, text), the probability that the hypothesis holds.

    Subclasses implement :meth:`judge_matrix`. :meth:`judge` validates inputs, counts
    judgments, and guarantees the output contract: a float array of shape
    ``[len(hypotheses), len(texts)]`` with values in [0, 1].
    """

    #: short name shown in reports
    name: str = "judge"
    #: True when each judgment costs real money or time (an LLM); adaptive verification only
    #: matters then, but it is applied to every judge so that reports are comparable.
    expensive: bool = False
    #: True when diff should judge the control hypotheses by default (wordlens.controls)
    controls_by_default: bool = False
    #: see :attr:`JudgeTags.identity`
    identity_keys: tuple[str, ...] = IDENTITY_KEYS
    #: judgments made so far (counted by :meth:`judge`; :class:`Meter` reads it)
    judgments_made: int = 0
    #: the chat client it asks, when it has one (goal relevance asks the same model)
    client: Any = None
    #: the sentence encoder it reads with, when it has one (None: the default encoder)
    encoder: Any = None
    #: a student's teacher: the ``describe()`` of the judge it was distilled from
    teacher_: dict[str, Any] | None = None

    def __init__(self) -> None:
        self.judgments_made = 0

    @property
    def tags(self) -> JudgeTags:
        """The judge's declared abilities (from the class attributes above)."""
        return JudgeTags(expensive=bool(self.expensive),
                         controls_by_default=bool(self.controls_by_default),
                         identity=tuple(self.identity_keys), usage=self.usage() is not None)

    def usage(self) -> dict[str, int] | None:
        """Model usage so far (``calls``, ``cached_calls``, ``tokens_in``, ``tokens_out``), or
        None for a judge that uses no metered model."""
        return None

    def meter(self) -> Meter:
        """A :class:`Meter` of what this judge spends from now on."""
        return Meter(self)

    def judge(self, hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
        hyps = [h if isinstance(h, Hypothesis) else Hypothesis(str(h)) for h in hypotheses]
        texts = list(texts)
        if not hyps or not texts:
            return np.zeros((len(hyps), len(texts)), dtype=float)
        out = np.asarray(self.judge_matrix(hyps, texts), dtype=float)
        if out.shape != (len(hyps), len(texts)):
            raise RuntimeError(f"{type(self).__name__} returned shape {out.shape}, expected "
                               f"{(len(hyps), len(texts))}")
        self.judgments_made += out.size
        return np.clip(np.nan_to_num(out, nan=0.5), 0.0, 1.0)

    def judge_pairs(self, pairs: Sequence[tuple[Hypothesis | str, str]]) -> np.ndarray:
        """Probabilities for a chosen list of (hypothesis, text) pairs, in order: for judging
        a sample of pairs rather than a whole matrix. This default judges each hypothesis on
        its own texts; judges that can group pairs better (LLM judges) override it."""
        pairs = [(h if isinstance(h, Hypothesis) else Hypothesis(str(h)), t) for h, t in pairs]
        out = np.zeros(len(pairs), dtype=float)
        by: dict[str, tuple[Hypothesis, list[int]]] = {}
        for k, (h, _) in enumerate(pairs):
            by.setdefault(h.key, (h, []))[1].append(k)
        for h, ks in by.values():
            out[ks] = self.judge([h], [pairs[k][1] for k in ks])[0]
        return out

    @abstractmethod
    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        """Return an array [H x N] of probabilities."""

    def describe(self) -> dict[str, Any]:
        """JSON-safe description stored in results (never contains secrets)."""
        return {"name": self.name, "class": type(self).__name__}

    def caveat(self) -> str | None:
        """What a reader of the results must know about this judge's judgments (stated in
        every result it made), or None when its judgments need no warning."""
        return None

    def __call__(self, hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
        return self.judge(hypotheses, texts)


class Meter:
    """What one judge spent since the meter started: judgments and, for a judge that reports
    it, model usage. Pass a meter down to count what a step spends; :meth:`lap` starts a
    new one."""

    def __init__(self, judge: Judge):
        self.judge = judge
        self._judgments0 = judge.judgments_made
        self._usage0 = judge.usage()

    @property
    def judgments(self) -> int:
        """Judgments made since the meter started."""
        return int(self.judge.judgments_made - self._judgments0)

    def usage(self) -> dict[str, int] | None:
        """Usage since the meter started (None without a metered model)."""
        now = self.judge.usage()
        if now is None or self._usage0 is None:
            return None
        return {k: int(now[k] - self._usage0[k]) for k in now}

    def lap(self) -> Meter:
        return Meter(self.judge)
