"""Terminal rendering of an explain result (rich tables)."""

from __future__ import annotations

from typing import Any

from .result import ExplainResult, TargetExplanation

_LABELS = {"share_predicted_positive": "pos", "share_predicted_negative": "neg",
           "percent_predictions_explained": "% predictions explained",
           "percent_explained": "% explained", "percent_explained_auc": "% explained (AUC)",
           "surrogate_accuracy": "accuracy", "surrogate_auc": "AUC"}


def print_explain(result: ExplainResult, console: Any = None) -> None:
    """Tables of hypotheses and the % explained curve, then the definitions of the numbers
    shown."""
    from rich.console import Console

    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    gold = bool(result.data.get("has_gold"))
    d = result.data
    console.print(f"Explaining {d['n_texts']} texts of {d['source']} (surrogate fitted on all; "
                  f"curve cross-fitted over {d.get('n_folds', '?')} folds).")
    for ex in result.explanations:
        console.print(_hypothesis_table(ex, gold))
        n_in = sum(h.in_surrogate for h in ex.hypotheses)
        if n_in < len(ex.hypotheses):
            console.print(f"the surrogate uses hypotheses 1-{n_in}, up to where the curve "
                          f"flattens; {n_in + 1}-{len(ex.hypotheses)} (weight '-') are "
                          "listed for context (--no-prune keeps them all).")
        console.print(_curve_table(ex, gold))
        console.print(_overall_line(ex.overall, gold))
        if ex.flattens_at is not None:
            console.print(_flattening_line(ex))
        if ex.sae:
            s = ex.sae
            console.print(f"sparse autoencoder: {s['n_kept']} of {s['n_alive']} named neurons "
                          f"kept (name agreement r >= {s['min_agreement']}).")
    for flag in result.flags:
        console.print(f"[bold]flag ({flag.kind})[/bold]: {flag.sentence}")
    if result.unlabeled:
        _print_unlabeled(result.unlabeled, console)
    _print_definitions(result, gold, console)
    for note in result.notes:
        console.print(f"note: {note}", style="dim")


def _hypothesis_table(ex: TargetExplanation, gold: bool):
    from rich.table import Table

    table = Table(title=f"What drives predictions of class {ex.target!r}", expand=False)
    for col in ("#", "a text predicted this class more often ...", "pos", "neg", "drive",
                "weight") + (("gold link",) if gold else ()):
        table.add_column(col, justify="left" if col.startswith("a text") else "right",
                         overflow="fold")
    for h in ex.hypotheses:
        row = [str(h.rank), h.hypothesis + ("  [FLAG]" if h.flags else ""),
               f"{h.share_predicted_positive:.2f}", f"{h.share_predicted_negative:.2f}",
               f"{h.drive:+.2f}", f"{h.weight:+.2f}" if h.in_surrogate else "-"]
        if gold:
            row.append("-" if h.gold_link is None else f"{h.gold_link:+.2f}")
        table.add_row(*row)
    return table


def _curve_table(ex: TargetExplanation, gold: bool):
    from rich.table import Table

    curve = Table(title="Surrogate from the first n hypotheses (cross-fitted)", expand=False)
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
    return curve


def _overall_line(o: dict[str, Any], gold: bool) -> str:
    if gold:
        return (f"classifier: accuracy {_f(o['classifier_accuracy'])}, AUC "
                f"{_f(o['classifier_auc'])}; baseline (majority class) accuracy "
                f"{_f(o['baseline_accuracy'])}; baseline fidelity "
                f"{_f(o['baseline_fidelity'])}.")
    return (f"baseline fidelity (classifier's majority prediction) "
            f"{_f(o['baseline_fidelity'])}; no gold labels given.")


def _flattening_line(ex: TargetExplanation) -> str:
    what = "accuracy" if ex.flattens_by == "surrogate_accuracy" else "fidelity"
    vals = [c.get(ex.flattens_by) for c in ex.curve]
    at = vals[ex.flattens_at - 1]
    return (f"the curve flattens at {ex.flattens_at} hypotheses ({what} {_f(at)}; best "
            f"{_f(max(v for v in vals if v is not None))}, within one standard error).")


def _print_unlabeled(u: dict[str, Any], console: Any) -> None:
    rate = _pct(u["disagreement_rate_pct"])
    console.print(f"unlabeled: the surrogate disagrees with the classifier on "
                  f"{u['n_disagree']} of {u['n_texts']} texts ({rate}).")
    if u.get("note"):
        console.print(f"  {u['note']}", style="dim")
    for h in u.get("top", []):
        console.print(f"  compared to an agreement text, a disagreement text "
                      f"{h['direction_word']} {h['hypothesis']} (validity "
                      f"{h['validity']:+.2f}, q {h['q_value']:.3g})")


def _shown_definitions(result: ExplainResult, gold: bool) -> list[str]:
    shown = ["evaluation texts", "surrogate", "share_predicted_positive",
             "share_predicted_negative", "drive", "weight", "fidelity", "baseline_fidelity",
             "percent_predictions_explained"]
    if gold:
        shown += ["gold_link", "classifier_accuracy", "surrogate_accuracy", "baseline_accuracy",
                  "percent_explained", "classifier_auc", "surrogate_auc",
                  "percent_explained_auc"]
    rows = [h for e in result.explanations for h in e.hypotheses]
    if any(h.check_link is not None for h in rows):
        shown.append("check_link")
    if any(h.task_relevance is not None for h in rows):
        shown.append("task_relevance")
    return shown


def _print_definitions(result: ExplainResult, gold: bool, console: Any) -> None:
    console.print("definitions:", style="bold dim")
    for key in _shown_definitions(result, gold):
        name = _LABELS.get(key, key.replace("_", " "))
        console.print(f"  {name}: {result.definitions[key]}", style="dim")
    if result.unlabeled:
        console.print("  validity, q: as in `wordlens diff` (share in disagreement texts minus "
                      "share in agreement texts; Benjamini-Hochberg q-value)", style="dim")


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}%"
