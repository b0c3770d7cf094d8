"""How a diff verifies: :class:`Exhaustive` (every judgment in memory), :class:`Streamed`
(batches on an engine, mergeable summaries) and :class:`Amortized` (a teacher budget, a
student, prediction-powered inference). Each returns one
:class:`~wordlens.validation.Verification` and runs the judge controls its own way, so what
comes after (statistics, ranking, grouping, controls) does not depend on the strategy."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..controls import JudgeControls, controls_for_diff
from ..engine.base import Engine
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..pairs import PairedSplit
from ..progress import phase
from ..split import Split
from ..validation import AmortizedPlan, Verification, verify, verify_amortized

__all__ = ["Amortized", "Exhaustive", "Strategy", "Streamed"]


class Strategy(ABC):
    """One way to verify candidates on a split's validation texts."""

    #: the result's ``verification.method`` unless the verification says otherwise
    method = "exhaustive"

    @abstractmethod
    def run(self, cands: list[Hypothesis], split: Split, judge: Judge, *, top_k: int,
            adaptive: bool, n_examples: int, alpha: float,
            log: Callable[[str], None]) -> Verification:
        """Verify ``cands`` on ``split``'s validation texts."""

    def controls(self, judge: Judge, ver: Verification, rows: Sequence[Any], split: Split,
                 alpha: float) -> tuple[JudgeControls | None, list[str]]:
        """Judge controls of the run (:func:`wordlens.controls.controls_for_diff`)."""
        return controls_for_diff(judge, ver, rows, split.validation_a, split.validation_b,
                                 alpha)


def _judgments(ver: Verification) -> str:
    """A verification's end of line: judgments made and saved."""
    return f"{ver.judgments_made:,} judgments, {ver.judgments_saved:,} saved"


class Exhaustive(Strategy):
    """The judge judges every validation text (adaptive rounds), judgments kept in memory."""

    def run(self, cands, split, judge, *, top_k, adaptive, n_examples, alpha, log):
        # verify's rounds: four growing slices when adaptive, one otherwise
        with phase("verifying", total=4 if adaptive else 1, unit="rounds") as ph:
            ver = verify(cands, split.validation_a, split.validation_b, judge, top_k=top_k,
                         adaptive=adaptive, on_round=lambda r, n: ph.advance())
            ph.done(_judgments(ver))
        return ver


@dataclass
class Streamed(Strategy):
    """The same rounds, judged in batches on ``engine`` (in-process or Ray), keeping
    mergeable per-hypothesis summaries (wordlens.engine.stream)."""

    engine: Engine

    def run(self, cands, split, judge, *, top_k, adaptive, n_examples, alpha, log):
        from ..engine.stream import verify_streaming

        if isinstance(split, PairedSplit):  # a batch holds whole pairs
            from ..engine.paired_stream import verify_paired_streaming as verify_streaming
        val_a, val_b = split.validation_a, split.validation_b
        with phase("verifying", total=len(val_a) + len(val_b), unit="texts") as ph:
            ver = verify_streaming(cands, val_a, val_b, judge, engine=self.engine,
                                   top_k=top_k, adaptive=adaptive, n_examples=n_examples,
                                   seed=split.seed, on_texts=ph.advance)
            ph.done(_judgments(ver))
        return ver

    def controls(self, judge, ver, rows, split, alpha):
        from ..engine.controls import stream_controls

        return controls_for_diff(judge, ver, rows, split.validation_a, split.validation_b,
                                 alpha, measure=partial(stream_controls, engine=self.engine,
                                                        seed=split.seed))


@dataclass
class Amortized(Strategy):
    """A teacher budget (``plan``): the teacher labels a random sample per hypothesis, a
    student judges every text, prediction-powered inference gives every number. The student
    learns on the proposal texts only."""

    plan: AmortizedPlan | None = None  # its seed is replaced by the split's
    method = "amortized"

    def run(self, cands, split, judge, *, top_k, adaptive, n_examples, alpha, log):
        # one seed carrier: the split's seed draws the teacher's labels too
        plan = dataclasses.replace(self.plan or AmortizedPlan(), seed=split.seed)
        run = verify_amortized
        if isinstance(split, PairedSplit):  # the teacher labels whole pairs
            from ..validation.paired_amortized import verify_amortized_paired as run
        with phase("verifying (amortized)", unit="label rounds") as ph:
            ver = run(cands, split.validation_a, split.validation_b, judge,
                      plan=plan, top_k=top_k, alpha=alpha, log=log,
                      on_round=lambda r, n: ph.advance(),
                      train_texts=split.proposal_a + split.proposal_b)
            ph.done(f"{ver.judgments_made:,} teacher judgments")
        return ver
