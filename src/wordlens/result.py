"""Result dataclasses of `diff`; they serialize to the documented, stable JSON schema."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .decomposition import SCHEMA as DECOMPOSITION_SCHEMA
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
             "correlate at >= 0.5 with it over the validation texts (signed by direction), "
             "or exact properties where one implies the other by definition ('is strongly "
             "positive', 'expresses positive sentiment'), state the same finding; each "
             "group's best is ranked first, the others follow",
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


#: Meanings of fields that several results share, for the generated JSON reference
#: (docs/reference/json.md); a field's own ``#:`` comment or a DEFINITIONS entry comes first.
FIELD_DOCS = {
    "hypothesis": "the hypothesis in words, as proposed",
    "statement": "the finding as a sentence: compared to the other side, texts of the "
                 "favoured side more often <hypothesis>",
    "source": "what proposed the hypothesis (a property, the topic inventory, contrastive "
              "phrases, an LLM, the user, ...)",
    "form": "the programmatic form of the hypothesis when it has one (judged exactly: a "
            "property or a keyword list), else null",
    "n_a": "A validation texts judged",
    "n_b": "B validation texts judged",
    "test": "the test behind p_value: score test for 0/1 judgments, Welch t-test for soft ones",
    "examples": "example texts",
    "notes": "approximations, fallbacks and warnings, in words",
    "timing": "seconds spent per phase",
    "wordlens_version": "version of wordlens that wrote the result",
    "created_at": "when the result was written (UTC, ISO 8601)",
    "definitions": "the definition of every number, in words",
    "judge": "what judged the hypotheses ({\"name\", \"class\", ...}; never secrets)",
    "proposer": "what proposed the hypotheses ({\"name\", \"class\", ...}; never secrets)",
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
    #: adaptive verification stopped judging it before the last round (its statistics use the texts
    #: judged so far)
    stopped_early: bool = False
    form: dict[str, Any] | None = None
    #: similarity of the hypothesis to --goal (null without a goal); orders candidates, never
    #: changes statistics
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
    #: the name shown for the corpus (A or B and its file name)
    name: str
    #: where the texts came from (a path, or the kind of Python object)
    source: str
    #: texts read, after blank texts were dropped (and after --max-texts)
    n_texts: int
    #: texts in the proposal half (hypotheses are proposed there)
    n_proposal: int
    #: texts in the validation half (every statistic is measured there)
    n_validation: int
    #: blank texts dropped when reading
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

    #: every verified hypothesis, in rank order
    hypotheses: list[HypothesisResult]
    #: corpus A: sizes of the whole corpus and of its two halves
    corpus_a: CorpusInfo
    #: corpus B, as corpus_a
    corpus_b: CorpusInfo
    #: the research goal given with --goal, or null
    goal: str | None
    #: seed of the split into proposal and validation texts (and of every other random choice)
    seed: int
    #: significance level of q_value (Benjamini-Hochberg false-discovery rate)
    alpha: float
    #: proposal_fraction, top_k, adaptive, max_texts, confidence, fdr, n_examples, fast (true
    #: for --fast), engine (how verification ran: {"name": "in-memory"}, or the streaming
    #: engine: {"name": "in-process"} or {"name": "ray", ...its cluster resources})
    settings: dict[str, Any]
    #: what proposed the hypotheses ({"name", "class", ...}: model, usage, dropped_items for LLM
    #: proposers; never secrets)
    proposer: dict[str, Any]
    #: what judged them ({"name", "class", ...}: model, method and usage for LLM judges; never
    #: secrets)
    judge: dict[str, Any]
    #: method ("exhaustive" or "amortized"), candidates, judgments_made, judgments_if_exhaustive,
    #: judgments_saved, rounds, stopped_early; amortized runs add teacher_budget, teacher_calls,
    #: teacher_calls_training, teacher_calls_inference, teacher_calls_if_exhaustive,
    #: student_judgments, student {source, path, judge, teacher_calls, same_teacher}, teacher_usage
    #: {calls, cached_calls, tokens_in, tokens_out} and requested ("amortized" when a small run fell
    #: back to exhaustive); confirmation after --confirm-with
    verification: dict[str, Any]
    #: seconds: load_s, propose_s, verify_s, stats_s, total_s (+ wall_s from the command line)
    timing: dict[str, float]
    #: approximations, fallbacks and warnings of this run, in words
    notes: list[str] = field(default_factory=list)
    #: null, or (LLM judges) controls[] (hypothesis, kind, of, share_a, share_b, validity, ci_low,
    #: ci_high, p_value, biased, n_a, n_b, mean_p_yes), biased[], bias_bound, flagged[], p_yes (n,
    #: mean, sd, q05..q95), judgments, alpha, rule
    judge_controls: dict[str, Any] | None = None
    #: version of wordlens that wrote the result
    wordlens_version: str = ""
    #: when the result was written (UTC, ISO 8601)
    created_at: str = ""
    #: kind and version of the result: "wordlens.diff/1"
    schema: str = SCHEMA
    #: the definition of every number, in words (the table above, as text)
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
        """The result in ``data``. A newer schema version is read for the fields this
        version knows; ``load_warnings_`` says what that leaves out (see
        :func:`load_warnings`)."""
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.diff/"):
            raise ValueError("not a wordlens diff result (missing 'schema')")
        if schema_version(data["schema"]) is None:
            raise ValueError(f"unknown schema {data['schema']!r} (expected {SCHEMA!r})")
        if not isinstance(data.get("hypotheses"), list):
            raise ValueError("field 'hypotheses' must be a list")
        data["hypotheses"] = [_hypothesis_result(i, h) for i, h in enumerate(data["hypotheses"])]
        data["corpus_a"] = CorpusInfo(**data["corpus_a"])
        data["corpus_b"] = CorpusInfo(**data["corpus_b"])
        warnings: list[str] = []
        data["decomposition"] = _decomposition(data.get("decomposition"), warnings)
        known = {f.name for f in dataclasses.fields(cls)}
        result = cls(**{k: v for k, v in data.items() if k in known})
        result.load_warnings_ = warnings
        return result


def schema_version(schema: str) -> int | None:
    """N of a schema string ``wordlens.NAME/N``; None when it is not of that form."""
    _, sep, n = str(schema).rpartition("/")
    return int(n) if sep and n.isdigit() else None


_DECOMPOSITION_VERSION = 1  # the version of DECOMPOSITION_SCHEMA


def _decomposition(block: Any, warnings: list[str]) -> Decomposition | None:
    """The ``decomposition`` section. One of a newer schema version that this version cannot
    read is left out with a warning; a malformed one of a known version is an error."""
    if block is None:
        return None
    if not isinstance(block, dict):
        raise ValueError(f"field 'decomposition' must be an object, got {type(block).__name__}")
    version = schema_version(block.get("schema", ""))
    try:
        return Decomposition.from_dict(block)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if version is not None and version > _DECOMPOSITION_VERSION:
            warnings.append(f"the decomposition section ({block['schema']}) is of a newer "
                            f"version than this wordlens reads ({DECOMPOSITION_SCHEMA}) and "
                            f"was left out ({type(exc).__name__}: {exc}); upgrade wordlens "
                            "to see it")
            return None
        raise ValueError(f"decomposition: {type(exc).__name__}: {exc}") from None


def load_warnings(result: DiffResult) -> list[str]:
    """What a result read by :meth:`DiffResult.from_dict` may be missing: a schema of a
    newer version than this wordlens writes (its unknown fields are ignored), or a section
    left out."""
    out = []
    for schema, current in ((result.schema, SCHEMA), (
            getattr(result.decomposition, "schema", None), DECOMPOSITION_SCHEMA)):
        v, cur = schema_version(schema or ""), schema_version(current)
        if v is not None and cur is not None and v > cur:
            out.append(f"written as {schema}, a newer version than this wordlens reads "
                       f"({current}): fields it does not know are left out; upgrade wordlens "
                       "to see everything")
    return out + list(getattr(result, "load_warnings_", []))


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


def hypothesis_from_dict(i: int, h: Any) -> HypothesisResult:
    """The ``i``-th :class:`HypothesisResult` of a result's JSON, its field types checked
    (ValueError naming ``hypotheses[i].field`` otherwise)."""
    return _hypothesis_result(i, h)
