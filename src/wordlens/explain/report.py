"""Numbers of an explanation (fidelity, accuracy, AUC, % of performance explained), the result
dataclasses with a definition of every number, and the terminal rendering."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..result import JsonResult

SCHEMA = "wordlens.explain/1"

DEFINITIONS: dict[str, str] = {
    "evaluation texts": "texts the hypotheses were NOT proposed or selected on; every metric "
                        "below is measured on them",
    "surrogate": "logistic regression on the judgments of the first n selected hypotheses, "
                 "trained to reproduce the classifier's predictions; its scores are cross-fitted "
                 "(each evaluation text is scored by a model fitted on the other folds), so they "
                 "are out-of-sample",
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
             "hypotheses",
    "share_predicted_positive": "mean judgment of the hypothesis over evaluation texts the "
                                "classifier assigns to the explained class",
    "share_predicted_negative": "mean judgment over evaluation texts the classifier assigns to "
                                "another class",
    "drive": "share_predicted_positive - share_predicted_negative, with its 95% CI "
             "(drive_ci) and p-value (drive_p; score test for 0/1 judgments, Welch otherwise)",
    "gold_link": "share among gold-positive evaluation texts minus share among gold-negative "
                 "ones (null without gold labels)",
    "weight": "coefficient of the hypothesis in the surrogate fitted on all evaluation texts "
              "(logistic regression on judgments in [0, 1])",
    "check_link": "with --check-data: share among gold-positive minus gold-negative texts of "
                  "the check set, with its 95% CI",
    "task_relevance": "with --task: the judge's probability that the hypothesis is relevant "
                      "to the task",
    "n_hypotheses": "number of selected hypotheses the surrogate of a curve row uses",
    "selection_fidelity": "cross-validated fidelity after each hypothesis was added, measured "
                          "on the proposal texts used for selection (optimistic; the curve is "
                          "the honest number)",
    "n_candidates": "candidate hypotheses proposed and judged before selection",
    "n_texts/n_proposal/n_eval": "texts used in all / to propose and select / to measure",
    "n_disagree/disagreement_rate_pct": "with --unlabeled: new texts where the surrogate's "
                                        "prediction differs from the classifier's, as a count "
                                        "and as % of the new texts",
    "flags": "possible spurious cues, each explained in one sentence with its numbers",
}


# -- metrics ---------------------------------------------------------------------------------
def auc(score: np.ndarray, y: np.ndarray) -> float | None:
    """ROC AUC, or None when y has a single class."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y).astype(int)
    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, np.asarray(score, dtype=float)))


def percent(value: float | None, baseline: float | None, top: float | None) -> float | None:
    """100 * (value - baseline) / (top - baseline), or None when undefined."""
    if value is None or baseline is None or top is None or abs(top - baseline) < 1e-9:
        return None
    return round(100.0 * (value - baseline) / (top - baseline), 2)


def surrogate_metrics(oof: np.ndarray, pred: np.ndarray, gold: np.ndarray | None,
                      clf_score: np.ndarray | None) -> dict[str, Any]:
    """Every number of one surrogate (binary: 1 = explained class)."""
    pred = np.asarray(pred).astype(int)
    s_pred = (np.asarray(oof) >= 0.5).astype(int)
    fid = float(np.mean(s_pred == pred))
    base_f = float(max(pred.mean(), 1 - pred.mean()))
    out: dict[str, Any] = {
        "fidelity": round(fid, 4), "baseline_fidelity": round(base_f, 4),
        "percent_predictions_explained": percent(fid, base_f, 1.0),
        "fidelity_auc": _r(auc(oof, pred)),
    }
    if gold is not None:
        g = np.asarray(gold).astype(int)
        base = float(max(g.mean(), 1 - g.mean()))
        c_acc = float(np.mean(pred == g))
        s_acc = float(np.mean(s_pred == g))
        c_auc = auc(clf_score if clf_score is not None else pred, g)
        s_auc = auc(oof, g)
        out.update({
            "classifier_accuracy": round(c_acc, 4), "surrogate_accuracy": round(s_acc, 4),
            "baseline_accuracy": round(base, 4), "percent_explained": percent(s_acc, base, c_acc),
            "classifier_auc": _r(c_auc), "surrogate_auc": _r(s_auc),
            "percent_explained_auc": percent(s_auc, 0.5, c_auc),
        })
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


# -- results ---------------------------------------------------------------------------------
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
    drive_ci: list[float]
    drive_p: float
    gold_link: float | None
    examples: list[str] = field(default_factory=list)
    check_link: float | None = None
    check_link_ci: list[float] | None = None
    task_relevance: float | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class TargetExplanation:
    """The explanation of one binary problem: ``target`` vs every other class."""

    target: Any
    hypotheses: list[HypothesisRow]
    curve: list[dict[str, Any]]
    overall: dict[str, Any]
    n_candidates: int
    selection_fidelity: list[float]
    surrogate: dict[str, Any]
    surrogate_text: str = ""


@dataclass
class Flag:
    hypothesis: str
    target: Any
    kind: str
    sentence: str
    numbers: dict[str, Any]


@dataclass
class ExplainResult(JsonResult):
    """Everything `wordlens explain` found, with the definition of every number."""

    explanations: list[TargetExplanation]
    classes: list[Any]
    positive: Any
    task: str
    data: dict[str, Any]
    settings: dict[str, Any]
    judge: dict[str, Any]
    proposer: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    unlabeled: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)
    wordlens_version: str = ""
    created_at: str = ""
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


# -- terminal --------------------------------------------------------------------------------
def print_explain(result: ExplainResult, console=None) -> None:
    """Tables of hypotheses and the % explained curve, then the definitions of the numbers
    shown."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    gold = bool(result.data.get("has_gold"))
    d = result.data
    console.print(f"Explaining {d['n_eval']} evaluation texts of {d['source']} "
                  f"(hypotheses proposed and selected on {d['n_proposal']} other texts).")
    for ex in result.explanations:
        table = Table(title=f"What drives predictions of class {ex.target!r}", expand=False)
        for col in ("#", "texts predicted this class more often ...", "pos", "neg", "drive",
                    "weight") + (("gold link",) if gold else ()):
            table.add_column(col, justify="left" if col.startswith("texts") else "right",
                             overflow="fold")
        for h in ex.hypotheses:
            row = [str(h.rank), h.hypothesis + ("  [FLAG]" if h.flags else ""),
                   f"{h.share_predicted_positive:.2f}", f"{h.share_predicted_negative:.2f}",
                   f"{h.drive:+.2f}", f"{h.weight:+.2f}"]
            if gold:
                row.append("-" if h.gold_link is None else f"{h.gold_link:+.2f}")
            table.add_row(*row)
        console.print(table)
        curve = Table(title="Surrogate from the first n hypotheses (cross-fitted)",
                      expand=False)
        cols = ["n", "fidelity", "% predictions explained"]
        if gold:
            cols += ["accuracy", "% explained", "AUC", "% explained (AUC)"]
        for c in cols:
            curve.add_column(c, justify="right")
        for c in ex.curve:
            row = [str(c["n_hypotheses"]), _f(c["fidelity"]),
                   _pct(c["percent_predictions_explained"])]
            if gold:
                row += [_f(c["surrogate_accuracy"]), _pct(c["percent_explained"]),
                        _f(c["surrogate_auc"]), _pct(c["percent_explained_auc"])]
            curve.add_row(*row)
        console.print(curve)
        o = ex.overall
        if gold:
            console.print(f"classifier: accuracy {_f(o['classifier_accuracy'])}, AUC "
                          f"{_f(o['classifier_auc'])}; baseline (majority class) accuracy "
                          f"{_f(o['baseline_accuracy'])}; baseline fidelity "
                          f"{_f(o['baseline_fidelity'])}.")
        else:
            console.print(f"baseline fidelity (classifier's majority prediction) "
                          f"{_f(o['baseline_fidelity'])}; no gold labels given.")
    for flag in result.flags:
        console.print(f"[bold]flag ({flag.kind})[/bold]: {flag.sentence}")
    if result.unlabeled:
        u = result.unlabeled
        rate = _pct(u["disagreement_rate_pct"])
        console.print(f"unlabeled: the surrogate disagrees with the classifier on "
                      f"{u['n_disagree']} of {u['n_texts']} texts ({rate}).")
        if u.get("note"):
            console.print(f"  {u['note']}", style="dim")
        for h in u.get("top", []):
            console.print(f"  compared to agreement texts, disagreement texts "
                          f"{h['direction_word']} {h['hypothesis']} (validity "
                          f"{h['validity']:+.2f}, q {h['q_value']:.3g})")
    console.print("definitions:", style="bold dim")
    shown = ["evaluation texts", "surrogate", "share_predicted_positive",
             "share_predicted_negative", "drive", "weight", "fidelity", "baseline_fidelity",
             "percent_predictions_explained"]
    if gold:
        shown += ["gold_link", "classifier_accuracy", "surrogate_accuracy", "baseline_accuracy",
                  "percent_explained", "classifier_auc", "surrogate_auc",
                  "percent_explained_auc"]
    if any(h.check_link is not None for e in result.explanations for h in e.hypotheses):
        shown.append("check_link")
    if any(h.task_relevance is not None for e in result.explanations for h in e.hypotheses):
        shown.append("task_relevance")
    labels = {"share_predicted_positive": "pos", "share_predicted_negative": "neg",
              "percent_predictions_explained": "% predictions explained",
              "percent_explained": "% explained", "percent_explained_auc": "% explained (AUC)",
              "surrogate_accuracy": "accuracy", "surrogate_auc": "AUC"}
    for key in shown:
        name = labels.get(key, key.replace("_", " "))
        console.print(f"  {name}: {result.definitions[key]}", style="dim")
    if result.unlabeled:
        console.print("  validity, q: as in `wordlens diff` (share in disagreement texts minus "
                      "share in agreement texts; Benjamini-Hochberg q-value)", style="dim")
    for note in result.notes:
        console.print(f"note: {note}", style="dim")


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}%"
