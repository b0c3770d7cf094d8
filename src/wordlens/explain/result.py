"""The result of `wordlens explain`: dataclasses on the shared JSON base, with the
definition of every number."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..result import JsonResult

SCHEMA = "wordlens.explain/1"

DEFINITIONS: dict[str, str] = {
    "evaluation texts": "every text, each scored out-of-sample: the texts are split into "
                        "folds and each fold is scored by hypotheses proposed, selected and "
                        "fitted on the other folds (cross-fitting); every metric of the curve "
                        "is measured this way",
    "surrogate": "L2-regularised logistic regression (C = 1) on the judgments of the first n "
                 "selected hypotheses, trained to reproduce the classifier's predictions; the "
                 "saved surrogate is chosen and fitted on all texts, its curve scores are "
                 "cross-fitted (out-of-sample)",
    "fidelity": "share of evaluation texts where the surrogate's prediction (score >= 0.5) "
                "equals the classifier's prediction",
    "baseline_fidelity": "fidelity of always predicting the classifier's most frequent "
                         "prediction",
    "percent_predictions_explained": "100 * (fidelity - baseline_fidelity) / "
                                     "(1 - baseline_fidelity): share of the classifier's "
                                     "decisions, beyond its majority decision, that the "
                                     "hypotheses reproduce",
    "fidelity_auc": "ROC AUC of the surrogate's cross-fitted scores against the classifier's "
                    "predictions (how well the scores rank the classifier's positives first)",
    "classifier_accuracy": "share of evaluation texts where the classifier's prediction equals "
                           "the gold label",
    "surrogate_accuracy": "share of evaluation texts where the surrogate's prediction equals "
                          "the gold label",
    "baseline_accuracy": "accuracy of always predicting the majority gold class of the "
                         "evaluation texts (the baseline of % explained)",
    "percent_explained": "100 * (surrogate_accuracy - baseline_accuracy) / "
                         "(classifier_accuracy - baseline_accuracy): % of the classifier's "
                         "accuracy gain over the majority-class baseline that the hypotheses "
                         "alone achieve (can exceed 100 or be negative)",
    "classifier_auc": "ROC AUC of the classifier's scores (its 0/1 predictions when it gave no "
                      "scores) against the gold labels",
    "surrogate_auc": "ROC AUC of the surrogate's cross-fitted scores against the gold labels",
    "percent_explained_auc": "100 * (surrogate_auc - 0.5) / (classifier_auc - 0.5); 0.5 is the "
                             "AUC of the baseline (a constant score)",
    "curve": "the metrics above for surrogates built from the first 1, 2, ..., k selected "
             "hypotheses (cross-fitted: each fold repeats the selection; 'added' names the "
             "hypothesis the all-texts selection added at that step)",
    "flattens_at": "smallest number of hypotheses whose cross-fitted accuracy (fidelity "
                   "without gold labels; flattens_by names which) is within one binomial "
                   "standard error of the best value of the curve: more hypotheses add "
                   "little beyond it",
    "in_surrogate": "whether the saved surrogate uses the hypothesis: pruned (the default), "
                    "it keeps the hypotheses up to where the curve flattens; those selected "
                    "after it are listed (weight 0) as readable context, not part of the model",
    "overall": "the surrogate's metrics as it is built: without pruning, the last row of the "
               "curve; pruned, each fold is scored with the number of hypotheses where the "
               "curve of the other folds' texts flattens, so choosing the size is "
               "out-of-sample too",
    "flattens_by": "the curve metric flattens_at reads: surrogate_accuracy with gold labels, "
                   "else fidelity (agreement with the classifier)",
    "candidates": "candidate hypotheses by source before selection (all texts)",
    "sae": "sparse-autoencoder features: neurons trained (n_neurons, k_active per text), "
           "firing on enough texts to name (n_alive), whose best name's judgments correlate "
           "with the neuron's activations at least min_agreement (n_kept, by kind of name); "
           "neurons lists each name and its agreement",
    "share_predicted_positive": "mean judgment of the hypothesis over the texts the "
                                "classifier assigns to the explained class (all texts)",
    "share_predicted_negative": "mean judgment over the texts the classifier assigns to "
                                "another class (all texts)",
    "drive": "share_predicted_positive - share_predicted_negative, with its 95% CI "
             "(drive_ci) and p-value (drive_p; score test for 0/1 judgments, Welch otherwise); "
             "measured on the texts the hypothesis was selected on, so not corrected for "
             "selection (descriptive)",
    "gold_link": "share among gold-positive evaluation texts minus share among gold-negative "
                 "ones (null without gold labels)",
    "weight": "coefficient of the hypothesis in the surrogate fitted on all texts "
              "(logistic regression on judgments in [0, 1])",
    "check_link": "with --check-data: share among gold-positive minus gold-negative texts of "
                  "the check set, with its 95% CI",
    "task_relevance": "with --task: the judge's probability that the hypothesis is relevant "
                      "to the task",
    "n_hypotheses": "number of selected hypotheses the surrogate of a curve row uses",
    "selection_fidelity": "cross-validated agreement with the classifier after each "
                          "hypothesis was added, measured on the texts used for selection "
                          "(optimistic; the curve is the honest number)",
    "n_candidates": "candidate hypotheses proposed and judged before selection",
    "n_texts/n_folds": "texts explained / folds of the cross-fitting",
    "n_disagree/disagreement_rate_pct": "with --unlabeled: new texts where the surrogate's "
                                        "prediction differs from the classifier's, as a count "
                                        "and as % of the new texts",
    "flags": "possible spurious cues, each explained in one sentence with its numbers",
}


@dataclass
class HypothesisRow:
    """One selected hypothesis, measured on the evaluation texts."""

    rank: int
    hypothesis: str
    source: str
    form: dict[str, Any] | None
    weight: float
    share_predicted_positive: float
    share_predicted_negative: float
    drive: float
    #: 95% interval of drive [low, high]
    drive_ci: list[float]
    #: two-sided p-value of drive = 0
    drive_p: float
    gold_link: float | None
    #: example texts where the hypothesis holds
    examples: list[str] = field(default_factory=list)
    check_link: float | None = None
    #: 95% interval of check_link [low, high] (null without --check-data)
    check_link_ci: list[float] | None = None
    task_relevance: float | None = None
    flags: list[str] = field(default_factory=list)
    #: false for a hypothesis selected past where the curve flattens (listed, not in the model)
    in_surrogate: bool = True


@dataclass
class TargetExplanation:
    """The explanation of one binary problem: ``target`` vs every other class."""

    #: the class explained (against every other class)
    target: Any
    #: the selected hypotheses, in selection order (those the pruned surrogate leaves out:
    #: in_surrogate false)
    hypotheses: list[HypothesisRow]
    curve: list[dict[str, Any]]
    #: the metrics of the surrogate as built: with every selected hypothesis, its row of the
    #: curve; pruned, the pruning repeated out of fold (each fold's size from the others)
    overall: dict[str, Any]
    n_candidates: int
    selection_fidelity: list[float]
    surrogate: dict[str, Any]
    #: the surrogate classifier, in words
    surrogate_text: str = ""
    flattens_at: int | None = None
    flattens_by: str = ""
    candidates: dict[str, int] = field(default_factory=dict)
    sae: dict[str, Any] | None = None


@dataclass
class Flag:
    #: the flagged hypothesis
    hypothesis: str
    #: the class it was selected for
    target: Any
    #: "check-data" or "task" (see flags in the definitions)
    kind: str
    #: the warning in words
    sentence: str
    #: the numbers behind the warning
    numbers: dict[str, Any]


@dataclass
class ExplainResult(JsonResult):
    """Everything `wordlens explain` found, with the definition of every number."""

    #: one explanation per class explained (one for a binary classifier)
    explanations: list[TargetExplanation]
    #: the classes of the classifier
    classes: list[Any]
    #: the class explained in a binary problem
    positive: Any
    #: "binary" or "one-vs-rest"
    task: str
    #: source, n_texts, n_proposal, n_eval, has_gold, has_scores, check (name of --check-data or
    #: null)
    data: dict[str, Any]
    #: max_hypotheses, selection, proposal_fraction, n_splits, max_texts, seed, alpha, task
    settings: dict[str, Any]
    judge: dict[str, Any]
    proposer: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    #: with --unlabeled: where classifier and surrogate disagree on new texts, described in words
    #: (else null)
    unlabeled: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    #: seconds: total_s
    timing: dict[str, float] = field(default_factory=dict)
    wordlens_version: str = ""
    created_at: str = ""
    #: kind and version: "wordlens.explain/1"
    schema: str = SCHEMA
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))

    @property
    def main(self) -> TargetExplanation:
        return self.explanations[0]

    def top(self, k: int = 3) -> list[str]:
        return [h.hypothesis for h in self.main.hypotheses[:k]]

    def percent_explained_curve(self) -> list[float | None]:
        key = "percent_explained" if self.data.get("has_gold") else \
            "percent_predictions_explained"
        return [c.get(key) for c in self.main.curve]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExplainResult:
        data = dict(data)
        if not str(data.get("schema", "")).startswith("wordlens.explain/"):
            raise ValueError("not a wordlens explain result (missing 'schema')")
        data["explanations"] = [
            TargetExplanation(**{**e, "hypotheses": [HypothesisRow(**h) for h in e["hypotheses"]]})
            for e in data["explanations"]]
        data["flags"] = [Flag(**f) for f in data.get("flags", [])]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
