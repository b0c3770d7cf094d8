"""Result of a many-group comparison (`wordlens diff FILE --by FIELD`): one section per group
and the hypothesis x group matrix of validity."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .result import HypothesisResult, JsonResult, hypothesis_from_dict

SCHEMA = "wordlens.groups/1"

DEFINITIONS = {
    "validity": "share of the group's validation texts for which the hypothesis holds minus "
                "the share of the texts it is compared with (the other groups together, or "
                "the reference group)",
    "q_value": "Benjamini-Hochberg adjusted p-value over every (group, hypothesis) test of "
               "this run: one false-discovery family",
    "p_value": "two-sided test of validity = 0 (score test when judgments are 0/1, Welch "
               "t-test when soft)",
    "matrix": "rows = hypotheses, columns = groups; validity, q and significant of each "
              "(group, hypothesis) test",
    "sections": "per group: every hypothesis ranked for that group ('A' = more often in the "
                "group, 'B' = more often in what it is compared with)",
    "significant": "q_value < alpha",
}


@dataclass
class GroupSection:
    """The hypotheses of one group against the rest (or against the reference group)."""

    group: str
    against: str
    n_texts: int
    n_validation: int
    n_validation_other: int
    hypotheses: list[HypothesisResult]

    @property
    def significant(self) -> list[HypothesisResult]:
        return [h for h in self.hypotheses if h.significant]


@dataclass
class GroupsResult(JsonResult):
    """Everything a many-group comparison found: sections, matrix, settings and counts."""

    field: str
    source: str
    groups: list[str]
    reference: str | None
    hypotheses: list[str]
    validity: list[list[float | None]]
    q_value: list[list[float | None]]
    significant: list[list[bool]]
    sections: list[GroupSection]
    alpha: float
    seed: int
    settings: dict[str, Any]
    proposer: dict[str, Any]
    judge: dict[str, Any]
    verification: dict[str, Any]
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
    wordlens_version: str = ""
    created_at: str = ""
    schema: str = SCHEMA
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))

    @property
    def columns(self) -> list[str]:
        """The groups that have a column (every group but the reference)."""
        return [s.group for s in self.sections]

    def matrix_order(self, top: int = 20) -> list[int]:
        """Indices of the hypotheses to show: significant in some group first, by their
        largest |validity|, at most ``top``."""
        def key(h: int) -> tuple[bool, float]:
            vals = [abs(v) for v in self.validity[h] if v is not None]
            return (not any(self.significant[h]), -(max(vals) if vals else 0.0))

        return sorted(range(len(self.hypotheses)), key=key)[:top]

    def n_significant(self) -> int:
        return sum(sum(row) for row in self.significant)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupsResult:
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.groups/"):
            raise ValueError("not a wordlens groups result (missing 'schema')")
        sections = []
        for s in data.get("sections", []):
            s = dict(s)
            s["hypotheses"] = [hypothesis_from_dict(i, h) for i, h in enumerate(s["hypotheses"])]
            sections.append(GroupSection(**s))
        data["sections"] = sections
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
