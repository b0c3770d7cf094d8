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

    n_pairs: int
    n_hypotheses: int
    teacher_positive_rate: float
    accuracy: float
    majority_baseline: float
    balanced_accuracy: float
    cohen_kappa: float
    spearman: float
    ece: float
    ece_uncalibrated: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class DistillReport(JsonResult):
    """What `wordlens distill` did and how well the student imitates the teacher."""

    teacher: dict[str, Any]
    student: dict[str, Any]
    data: dict[str, Any]
    budget: int
    teacher_calls: dict[str, int]
    selection: dict[str, Any]
    seen_hypotheses: Agreement | None
    unseen_hypotheses: Agreement | None
    all_heldout: Agreement | None
    per_hypothesis: list[dict[str, Any]]
    throughput: dict[str, Any]
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
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
