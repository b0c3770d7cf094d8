"""How amortized verification spends the teacher: :class:`AmortizedPlan` and the default
budget (shared by the uniform and the active method)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..judges.base import Judge


@dataclass(frozen=True)
class AmortizedPlan:
    """How amortized verification spends the teacher.

    budget: teacher judgments for the run, training and inference together (None: 10 % of
        an exhaustive run, at least ``4 * min_labels`` per hypothesis).
    student: a judge, or a student folder (loaded when it holds one, else the student
        distilled now is saved there); None: the cache's student for this teacher.
    cache_dir: where students are kept (``<cache_dir>/students/<teacher key>``); None: none.
    train_fraction: share of the budget for distilling a student when none is reusable.
    min_labels: teacher labels per side per hypothesis in the first round.
    rounds: labelling rounds; after each, hypotheses whose interval still straddles the
        significance or top-k boundary get more labels.
    method: "auto" (the default: "active" for two corpora, "uniform" for pairs, which
        only the uniform method takes), "uniform" (:mod:`.amortized`: uniform labels, a
        student distilled on the proposal texts, PPI++) or "active" (active, cross-fitted
        PPI with a pooled student fitted on this run's labels, :mod:`.active`; then
        ``features``, ``folds``, ``floor``, ``min_draws``, ``looks`` and ``ridge_c`` (the
        inverse ridge penalty of the student's logistic regression; None: chosen per fold
        by cross-validation inside that fold's training labels) apply, see
        docs/amortized.md).
    """

    budget: int | None = None
    student: Judge | str | Path | None = None
    cache_dir: str | Path | None = None
    student_kind: str = "standard"
    train_fraction: float = 0.3
    min_labels: int = 10
    rounds: int = 3
    seed: int = 0
    method: str = "auto"
    features: str = "stacked"
    folds: int = 5
    floor: float = 0.4
    min_draws: int = 3
    looks: int = 2
    ridge_c: float | None = None
    first_look: float | None = None
    design_prior: float = 5.0
    pool: str = "last"
    alpha_spending: bool = False


#: what a budget note adds when the budget ran out before any hypothesis had two teacher
#: labels a side: the run still returns, with the proposed hypotheses listed unverified
NO_LABELS_NOTE = ("no hypothesis has enough teacher labels (the proposed ones are listed, "
                  "unverified, under verification.unverified_hypotheses)")


def default_budget(n_hypotheses: int, n_a: int, n_b: int, min_labels: int = 10) -> int:
    """10 % of an exhaustive run's judgments, at least ``4 * min_labels`` per hypothesis."""
    full = n_hypotheses * (n_a + n_b)
    return int(min(full, max(round(0.1 * full), 4 * min_labels * n_hypotheses)))
