"""Every setting of a diff in one frozen dataclass, :class:`DiffConfig`, and the one place
where its defaults are chosen (the judge, the verification strategy, the amortized plan).
The CLI builds one; :func:`wordlens.diff` takes one, keywords, or both (keywords win)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..proposers.base import Proposer
from ..validation import AmortizedPlan
from .strategies import Amortized, Exhaustive, Strategy, Streamed

__all__ = ["DiffConfig", "VERIFY_MODES"]

VERIFY_MODES = ("amortized", "exhaustive")


@dataclass(frozen=True)
class DiffConfig:
    """The settings of :func:`wordlens.diff` (each field is also a keyword of it)."""

    #: research goal: steers proposing and the order of the table
    goal: str | None = None
    #: proposes hypotheses (None: the offline proposer; with ``fast``, its fast setup)
    proposer: Proposer | None = None
    #: judges them (None: the offline judge; with ``fast``, the fast judge)
    judge: Judge | None = None
    #: test these instead of proposing
    hypotheses: Sequence[str | Hypothesis] | None = None
    #: the run's one seed: the split, sampling, the teacher's labels
    seed: int = 0
    #: share of each corpus the proposer reads; the rest is for verification
    proposal_fraction: float = 0.5
    #: at most this many texts per corpus (a seeded sample)
    max_texts: int | None = None
    #: adaptive verification keeps judging the top k
    top_k: int = 10
    #: stop judging hypotheses that cannot reach the top k
    adaptive: bool = True
    #: false discovery rate for "significant"
    alpha: float = 0.05
    #: example texts per hypothesis and side
    n_examples: int = 3
    #: field or column holding the text (files)
    text_field: str | None = None
    #: text encoding of the input files
    encoding: str = "utf-8"
    #: judge the control hypotheses (None: when the judge's tags say so)
    judge_controls: bool | None = None
    #: "auto", a number of groups K or "field:NAME" (wordlens.diff.decompose)
    decompose: str | int | None = None
    #: "exhaustive" or "amortized" (None: amortized when the judge is expensive and the run
    #: does not stream)
    verify: str | None = None
    #: amortized: teacher judgments for the run (None: 10 % of an exhaustive run)
    teacher_budget: int | None = None
    #: amortized: a student judge or folder
    student: Judge | str | None = None
    #: amortized: True for the wordlens cache folder, a folder, or False for none
    student_cache: str | bool | None = True
    #: the fast preset: static text encoder, bounded proposal sample, streamed verification
    fast: bool = False
    #: stream verification on an engine: "inprocess", "ray" or a wordlens.engine.Engine
    engine: Any = None
    #: paired: two field names of the file ``a``
    paired: Sequence[str] | None = None
    #: paired: an id field joining files ``a`` and ``b``
    pair_id: str | None = None
    #: amortized: the whole plan (overrides teacher_budget, student and student_cache)
    plan: AmortizedPlan | None = None

    @classmethod
    def of(cls, config: DiffConfig | None = None, **options: Any) -> DiffConfig:
        """``config`` (default settings when None) with ``options`` replacing fields."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise TypeError(f"unknown diff setting(s): {', '.join(unknown)} (see "
                            "wordlens.DiffConfig)")
        return dataclasses.replace(config or cls(), **options)

    def check(self) -> None:
        """One clear line for a setting that cannot work."""
        if not 0 < self.alpha < 1:
            raise InputError(f"alpha must be between 0 and 1, got {self.alpha}")
        if self.top_k < 1:
            raise InputError(f"top_k must be at least 1, got {self.top_k}")
        if self.verify is not None and self.verify not in VERIFY_MODES:
            raise InputError(f"--verify: {self.verify!r}; choose amortized or exhaustive")

    def verification_only(self) -> DiffConfig:
        """The settings every sub-diff of a decomposition shares with this run (how to
        verify); the rest (goal, hypotheses, proposer, judge, top k...) each sub-diff is
        given."""
        return DiffConfig(seed=self.seed, judge_controls=self.judge_controls,
                          verify=self.verify, teacher_budget=self.teacher_budget,
                          student=self.student, student_cache=self.student_cache,
                          fast=self.fast, engine=self.engine, plan=self.plan)

    @property
    def streamed(self) -> bool:
        """Verification streams in batches (``fast`` or an ``engine``)."""
        return self.fast or self.engine is not None

    def judge_or_default(self) -> Judge:
        """The judge, or the offline judge."""
        if self.judge is not None:
            return self.judge
        from ..judges.offline import OfflineJudge

        return OfflineJudge()

    def amortized_plan(self) -> AmortizedPlan:
        """The teacher-budget plan (``plan``, else built from ``teacher_budget``, ``student``
        and ``student_cache``), with the run's seed."""
        if self.plan is not None:
            return dataclasses.replace(self.plan, seed=self.seed)
        from ..cache import default_cache_dir

        cache = (default_cache_dir() if self.student_cache is True else
                 None if self.student_cache in (False, None) else self.student_cache)
        return AmortizedPlan(budget=self.teacher_budget, student=self.student,
                             cache_dir=cache, seed=self.seed)

    def verify_mode(self, judge: Judge) -> str:
        """``verify`` checked; by default amortized for expensive judges (never when
        streaming)."""
        mode = self.verify or ("amortized" if judge.tags.expensive and not self.streamed
                               else "exhaustive")
        if mode not in VERIFY_MODES:
            raise InputError(f"--verify: {mode!r}; choose amortized or exhaustive")
        if self.streamed and mode == "amortized":
            raise InputError("--verify amortized cannot stream (--fast / --engine): choose one")
        return mode

    def strategy(self, mode: str, engine: Any) -> Strategy:
        """The verification strategy: amortized, streamed on ``engine`` when there is one,
        else exhaustive in memory."""
        if mode == "amortized":
            return Amortized(self.amortized_plan())
        return Streamed(engine) if engine is not None else Exhaustive()

    def controls_on(self, judge: Judge) -> bool:
        """Run the judge controls? As asked, else as the judge's tags say."""
        return (self.judge_controls if self.judge_controls is not None
                else judge.tags.controls_by_default)
