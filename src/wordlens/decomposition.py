"""The ``decomposition`` section of a diff result (schema ``wordlens.decomposition/1``) and
the rules of its flags; computed by :mod:`wordlens.diff.decompose`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

SCHEMA = "wordlens.decomposition/1"

REVERSES = "reverses_within_groups"
COMPOSITION = "explained_by_composition"
SOME_GROUPS = "holds_only_in_some_groups"
MASKED = "masked_by_composition"
CONSISTENT = "holds_within_groups"

FLAG_RULES = {
    REVERSES: "the group-adjusted validity is significant (q < alpha) with the opposite sign "
              "of the raw one, or the raw difference is significant and some group shows a "
              "significant difference of the opposite sign",
    COMPOSITION: "the raw difference is significant, the group-adjusted one is not, and "
                 "|adjusted| <= half of |raw|: the difference comes from the group mix",
    SOME_GROUPS: "the raw or adjusted difference is significant, Cochran's Q finds "
                 "heterogeneity across groups (p < alpha), at least one group is significant "
                 "in the raw direction and at least one other group's interval contains 0",
    MASKED: "the raw difference is not significant but the group-adjusted one is: the group "
            "mix hides it",
    CONSISTENT: "raw and group-adjusted differences are both significant with the same sign "
                "and no other flag applies",
}

DEFINITIONS = {
    "groups[].share_a/share_b": "share of A (B) validation texts that fall in the group",
    "groups[].difference": "share_a - share_b (composition: positive = over-represented in A)",
    "groups[].ci_low/ci_high, p_value": "95% score interval and score test of the difference "
                                        "of two proportions",
    "groups[].description": "the group's best hypothesis against all other texts (same "
                            "proposer and judge; proposed on proposal texts, verified on "
                            "validation texts); its q is over that description run only",
    "within[]": "hypotheses from a diff of A vs B inside one group (proposed on the group's "
                "proposal texts, verified on its validation texts)",
    "q_value (groups, within)": "Benjamini-Hochberg over one family: every composition test "
                                "and every within-group hypothesis of this decomposition",
    "recombined[].adjusted_validity": "Mantel-Haenszel-weighted mean of the per-group "
                                      "validities (weights n_a*n_b/(n_a+n_b)), with a normal "
                                      "95% interval (clipped to [-1, 1]) and z test",
    "recombined[].raw_validity": "the validity on all validation texts (same judgments as the "
                                 "adjusted one); raw_q is the top-level q of the diff",
    "recombined[].adjusted_q, per_group[].q_value": "Benjamini-Hochberg over one family: the "
                                                    "adjusted tests and the per-group tests of "
                                                    "all recombined hypotheses",
    "recombined[].heterogeneity_p": "Cochran's Q test that the per-group validities are equal",
    **{f"flag {k}": v for k, v in FLAG_RULES.items()},
}


@dataclass
class GroupRow:
    """One group: its description and its composition test."""

    #: number of the group (0, 1, ...), as within[].group and per_group[].group refer to it
    id: int
    #: short name of the group (its field value, or "group N")
    name: str
    description: str | None
    #: validity of the description against all other texts
    description_validity: float | None
    #: q of the description, over its own description run
    description_q: float | None
    #: A validation texts in the group
    n_a: int
    #: B validation texts in the group
    n_b: int
    #: A proposal texts in the group
    n_proposal_a: int
    #: B proposal texts in the group
    n_proposal_b: int
    share_a: float
    share_b: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    q_value: float
    significant: bool
    within: str  # "diffed" | reason it was not
    #: example texts of the group
    examples: list[str] = field(default_factory=list)


@dataclass
class WithinRow:
    """One hypothesis of a within-group diff."""

    group: int
    rank: int
    hypothesis: str
    direction: str
    statement: str
    source: str
    share_a: float
    share_b: float
    validity: float
    ci_low: float
    ci_high: float
    p_value: float
    q_value: float
    significant: bool
    n_a: int
    n_b: int
    test: str
    form: dict[str, Any] | None = None
    examples_for: list[str] = field(default_factory=list)
    examples_against: list[str] = field(default_factory=list)


@dataclass
class GroupValidity:
    """A top-level hypothesis inside one group."""

    group: int
    #: A validation texts of the group
    n_a: int
    #: B validation texts of the group
    n_b: int
    validity: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    q_value: float | None


@dataclass
class RecombinedRow:
    """A top-level hypothesis: raw validity next to the group-adjusted one, and flags."""

    rank: int
    hypothesis: str
    raw_validity: float
    #: q of the hypothesis in the top-level diff
    raw_q: float
    adjusted_validity: float | None
    #: normal 95% interval of adjusted_validity (low end)
    adjusted_ci_low: float | None
    #: normal 95% interval of adjusted_validity (high end)
    adjusted_ci_high: float | None
    #: z test of adjusted_validity = 0
    adjusted_p: float | None
    adjusted_q: float | None
    heterogeneity_p: float | None
    #: validation texts re-judged for the recombination
    n_used: int
    flags: list[str]
    #: the validity of the hypothesis inside each group
    per_group: list[GroupValidity]
    source: str = ""
    form: dict[str, Any] | None = None


@dataclass
class Decomposition:
    """Composition, within-group differences and recombination of one diff run."""

    #: how the groups were made: kind (kmeans or field), spec, k, criterion and silhouette {K: score
    #: or null} (auto), encoder, fitted_on; field and merged for field groups
    method: dict[str, Any]
    #: the groups and the composition test of each
    groups: list[GroupRow]
    within: list[WithinRow]
    #: the top hypotheses of the diff, raw and group-adjusted, with their flags
    recombined: list[RecombinedRow]
    #: spec, alpha, min_group_texts, min_group_proposal_texts, describe_max_texts, recombine_top,
    #: weights, confidence, fdr
    settings: dict[str, Any]
    #: sub_diffs, judgments_made, rejudged_for_recombination
    verification: dict[str, Any]
    #: seconds: partition_s, describe_s, within_s, recombine_s, total_s
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
    #: kind and version: "wordlens.decomposition/1"
    schema: str = SCHEMA
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))
    #: not saved: the texts of each within-group diff {group: Split} (set by the run;
    #: wordlens.learned.replay reads them)
    group_splits_: ClassVar[Any] = None

    @property
    def significant_within(self) -> list[WithinRow]:
        return [w for w in self.within if w.significant]

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        return {"schema": d.pop("schema"), **d}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decomposition:
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.decomposition/"):
            raise ValueError("not a wordlens decomposition (missing 'schema')")
        data["groups"] = [_row(GroupRow, g) for g in data["groups"]]
        data["within"] = [_row(WithinRow, w) for w in data["within"]]
        data["recombined"] = [
            _row(RecombinedRow, {**r, "per_group": [_row(GroupValidity, g)
                                                    for g in r["per_group"]]})
            for r in data["recombined"]]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _row(cls: type, d: dict[str, Any]) -> Any:
    """A row dataclass from JSON; fields added by later versions are skipped."""
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in known})
