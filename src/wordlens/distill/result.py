"""The result of `wordlens distill`: agreement of a student with its teacher, on the shared
JSON base (NaN is written as null)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..result import JsonResult

SCHEMA = "wordlens.distill/1"


@dataclass
class Agreement:
    """Student vs teacher on one set of held-out pairs (teacher decision = p >= 0.5)."""

    #: held-out (hypothesis, text) pairs compared
    n_pairs: int
    #: hypotheses among them
    n_hypotheses: int
    #: share of the pairs the teacher says hold
    teacher_positive_rate: float
    #: share of pairs where student and teacher decide alike
    accuracy: float
    #: accuracy of always answering the teacher's more frequent decision: read accuracy next to it
    majority_baseline: float
    #: mean of the accuracies on the teacher's yes and no pairs
    balanced_accuracy: float
    #: agreement beyond chance (0 = chance, 1 = perfect): the informative number
    cohen_kappa: float
    #: rank correlation of student and teacher probabilities
    spearman: float
    #: expected calibration error of the student's calibrated probabilities against the teacher's
    #: decisions
    ece: float
    #: the same before Platt calibration
    ece_uncalibrated: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class DistillReport(JsonResult):
    """What `wordlens distill` did and how well the student imitates the teacher."""

    #: the teacher judge ({"name", "class", ...})
    teacher: dict[str, Any]
    #: the student ({"name", "class", ...} + hidden, n_members, platt, n_train_pairs)
    student: dict[str, Any]
    #: n_texts, n_train_texts, n_heldout_texts, n_hypotheses, n_learned_hypotheses,
    #: n_exact_hypotheses, n_seen_hypotheses, n_unseen_hypotheses, seen_hypotheses[],
    #: unseen_hypotheses[] (+ where the texts came from)
    data: dict[str, Any]
    #: teacher judgments allowed for training and calibration
    budget: int
    #: training, calibration, evaluation, total_counted_by_teacher, training_and_calibration_counted
    teacher_calls: dict[str, int]
    #: strategy, rounds, positive_rate_by_round, calibration_positive_rate
    selection: dict[str, Any]
    #: agreement on held-out texts, hypotheses seen in training
    seen_hypotheses: Agreement | None
    #: agreement on held-out texts, hypotheses held out of training (--unseen-fraction)
    unseen_hypotheses: Agreement | None
    #: agreement on every held-out pair
    all_heldout: Agreement | None
    #: agreement per hypothesis
    per_hypothesis: list[dict[str, Any]]
    #: teacher and student judgments per second and their ratio
    throughput: dict[str, Any]
    #: seconds per phase
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
    #: kind and version: "wordlens.distill/1"
    schema: str = SCHEMA

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DistillReport:
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.distill/"):
            raise ValueError("not a wordlens distill report (missing 'schema')")
        for key in ("seen_hypotheses", "unseen_hypotheses", "all_heldout"):
            if data.get(key) is not None:
                data[key] = Agreement(**{k: float("nan") if v is None else v
                                         for k, v in data[key].items()})
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
