"""Result dataclasses of `diff`; they serialize to the documented, stable JSON schema."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .decomposition import Decomposition
from .outfile import write_atomic

SCHEMA = "wordlens.diff/1"

DEFINITIONS = {
    "validity": "share of A texts for which the hypothesis holds minus share of B texts "
                "(judgments averaged; positive = more often in A)",
    "share_a": "mean judgment over the A validation texts judged",
    "share_b": "mean judgment over the B validation texts judged",
    "ci_low/ci_high": "95% confidence interval of validity",
    "p_value": "two-sided test of validity = 0 (score test when judgments are 0/1, Welch "
               "t-test when soft)",
    "q_value": "Benjamini-Hochberg adjusted p-value over all hypotheses verified in this run",
    "auc": "probability that a random text of the favoured side is judged higher than a random "
           "text of the other side (0.5 = no separation)",
    "significant": "q_value < alpha",
    "direction": "'A' if the hypothesis holds more often in A, 'B' if more often in B",
    "rank": "order by the confidence bound of |validity| nearest zero, then by |validity|; "
            "the best hypothesis of each group comes first, the rest of each group after "
            "all the groups' best (see group)",
    "goal_relevance": "with --goal: the larger of the hypothesis' cosine similarity to the goal "
                      "and its view's score for the goal (an LLM's 0-2 rating / 2 when one "
                      "rated it); null without a goal",
    "answers_goal": "with --goal: the hypothesis is of a view the goal asks about (topic, "
                    "genre, style, sentiment, stance, language) or close to the goal; "
                    "significant ones are ranked first (docs/goal.md); statistics unchanged",
    "examples_for": "validation texts of the favoured side where the hypothesis holds",
    "examples_against": "validation texts of the other side where it does not hold",
    "group": "rank of the best hypothesis of this one's group: hypotheses whose judgments "
             "correlate at >= 0.5 with it over the validation texts (signed by direction) "
             "state the same finding; each group's best is ranked first, the others follow",
    "group_correlation": "correlation of the judgments with the group's best hypothesis, "
                         "signed by direction (null for the best one)",
    "flags": "warnings about one finding; 'possibly judge bias': significant, but no larger "
             "than the bias the judge showed on control hypotheses (judge_controls)",
    "judge_controls": "control hypotheses whose validity should be 0 (placebos true of every "
                      "text or of none; the top finding's negation, as (P(h)+P(not h))/2), "
                      "judged by the run's judge on the same texts; biased = p < alpha; not "
                      "part of the Benjamini-Hochberg family; bias_bound = largest |CI end| of "
                      "a biased control; p_yes = spread of the judge's P(yes) in the run",
    "amortized": "amortized verification only (null otherwise): teacher_labels(_a/_b) = "
                 "teacher judgments of a uniformly random sample of validation texts; "
                 "agreement = share of them where student and teacher decide alike (p >= 0.5); "
                 "ppi_ci = the prediction-powered 95% interval (= ci_low/ci_high); "
                 "lambda = PPI++ weight of the student (0: teacher labels alone); "
                 "student_only / teacher_only = what the student's judgments of all texts, "
                 "or the teacher labels alone, would have given",
}


@dataclass
class HypothesisResult:
    """Statistics of one verified hypothesis."""

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
    auc: float
    significant: bool
    n_a: int
    n_b: int
    test: str
    stopped_early: bool = False
    form: dict[str, Any] | None = None
    goal_relevance: float | None = None
    #: with a goal: whether the hypothesis is about what the goal asks (wordlens.goal)
    answers_goal: bool | None = None
    examples_for: list[str] = field(default_factory=list)
    examples_against: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: rank of the leading hypothesis of this one's group of strongly correlated findings
    #: (its own rank when it leads; None in results written before grouping existed)
    group: int | None = None
    #: correlation of this hypothesis' judgments with its group leader's, signed so that
    #: positive means "the same finding" (None for a leader)
    group_correlation: float | None = None
    #: amortized verification only: teacher labels, agreement, PPI and student-only intervals
    amortized: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class CorpusInfo:
    name: str
    source: str
    n_texts: int
    n_proposal: int
    n_validation: int
    n_blank_dropped: int = 0


_R = TypeVar("_R", bound="JsonResult")


class JsonResult:
    """JSON round trip shared by the result dataclasses (``schema`` first in the file; NaN
    and infinities written as null, see :func:`finite`)."""

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)  # type: ignore[call-overload]
        return {"schema": d.pop("schema"), **finite(d)}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False,
                          default=_jsonable)

    def save(self, path: str | Path) -> Path:
        """Write the JSON atomically (no half-written file if interrupted)."""
        return write_atomic(path, self.to_json())

    @classmethod
    def from_dict(cls: type[_R], data: dict[str, Any]) -> _R:
        raise NotImplementedError

    @classmethod
    def load(cls: type[_R], path: str | Path) -> _R:
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))


@dataclass
class DiffResult(JsonResult):
    """Everything `wordlens diff` found and how: hypotheses, settings, counts, timing."""

    hypotheses: list[HypothesisResult]
    corpus_a: CorpusInfo
    corpus_b: CorpusInfo
    goal: str | None
    seed: int
    alpha: float
    settings: dict[str, Any]
    proposer: dict[str, Any]
    judge: dict[str, Any]
    verification: dict[str, Any]
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
    judge_controls: dict[str, Any] | None = None
    wordlens_version: str = ""
    created_at: str = ""
    schema: str = SCHEMA
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))
    #: ``diff(..., decompose=...)`` only; left out of the JSON when None
    decomposition: Decomposition | None = None

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        if d.get("decomposition") is None:
            d.pop("decomposition", None)
        return d

    @property
    def significant(self) -> list[HypothesisResult]:
        return [h for h in self.hypotheses if h.significant]

    def top(self, k: int = 5) -> list[HypothesisResult]:
        return self.hypotheses[:k]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiffResult:
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.diff/"):
            raise ValueError("not a wordlens diff result (missing 'schema')")
        if not isinstance(data.get("hypotheses"), list):
            raise ValueError("field 'hypotheses' must be a list")
        data["hypotheses"] = [_hypothesis_result(i, h) for i, h in enumerate(data["hypotheses"])]
        data["corpus_a"] = CorpusInfo(**data["corpus_a"])
        data["corpus_b"] = CorpusInfo(**data["corpus_b"])
        if isinstance(data.get("decomposition"), dict):
            data["decomposition"] = Decomposition.from_dict(data["decomposition"])
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


_NUMBERS = ("share_a", "share_b", "validity", "ci_low", "ci_high", "p_value", "q_value", "auc")
_INTEGERS = ("rank", "n_a", "n_b")
_TEXTS = ("hypothesis", "direction", "statement", "source", "test")


def _hypothesis_result(i: int, h: Any) -> HypothesisResult:
    """A HypothesisResult from JSON, with the types of its fields checked (ValueError naming
    ``hypotheses[i].field`` otherwise)."""
    if not isinstance(h, dict):
        raise ValueError(f"hypotheses[{i}]: expected an object, got {type(h).__name__}")
    for name in _NUMBERS + _INTEGERS + _TEXTS:
        if name not in h:
            raise ValueError(f"hypotheses[{i}]: missing field {name!r}")
        v = h[name]
        if name in _TEXTS:
            ok = isinstance(v, str)
        elif name in _INTEGERS:
            ok = isinstance(v, int) and not isinstance(v, bool)
        else:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        if not ok:
            want = "text" if name in _TEXTS else "a number"
            raise ValueError(f"hypotheses[{i}].{name}: expected {want}, got {v!r:.40}")
    known = {f.name for f in dataclasses.fields(HypothesisResult)}
    try:  # fields added by later versions are skipped, as at the top level
        return HypothesisResult(**{k: v for k, v in h.items() if k in known})
    except TypeError as exc:
        raise ValueError(f"hypotheses[{i}]: {exc}") from None


def finite(o: Any) -> Any:
    """``o`` with every NaN or infinite float replaced by None and numpy numbers made plain
    (recursing into dicts, lists and tuples): the one place results become strict JSON."""
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [finite(v) for v in o]
    if isinstance(o, float) or type(o).__module__ == "numpy" and hasattr(o, "dtype"):
        import numpy as np

        if isinstance(o, (float, np.floating)):
            return float(o) if np.isfinite(o) else None
        if isinstance(o, np.integer):
            return int(o)
    return o


def _jsonable(o: Any) -> Any:
    try:
        import numpy as np

        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")
