"""`wordlens explain predictions.jsonl`."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from ..errors import InputError
from ..outfile import check_output_file
from .checks import check_encoding


def register(app: typer.Typer) -> None:
    @app.command("explain")
    def explain_command(
        data: Path = typer.Argument(..., help="Texts with the classifier's predictions (.jsonl, "
                                              ".csv, ...)"),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON result"),
        text_field: str | None = typer.Option(None, help="Field/column holding the text"),
        prediction_field: str = typer.Option("prediction", help="Field with the prediction "
                                             "(label, score or probabilities)"),
        label_field: str | None = typer.Option(None, help="Field holding the gold label "
                                                           "(optional)"),
        positive: str | None = typer.Option(None, help="Class to explain in a binary problem "
                                                       "(default: the larger label)"),
        check_data: Path | None = typer.Option(None, help="Second labelled set (same text and "
                                                          "label fields): flag hypotheses "
                                                          "whose link to the label does not "
                                                          "hold there"),
        task: str | None = typer.Option(None, help="What the label should mean; flags "
                                                   "hypotheses the judge finds unrelated"),
        unlabeled: Path | None = typer.Option(None, help="New texts with the classifier's "
                                                         "predictions: describe where it and "
                                                         "the surrogate disagree"),
        max_hypotheses: int = typer.Option(20, min=1, help="Hypotheses to select (curve 1..k)"),
        selection: str = typer.Option("forward", help="forward (greedy by cross-validated "
                                                      "accuracy) or l1 (sparse logistic "
                                                      "regression path)"),
        proposer: str = typer.Option("offline", help="Extra proposer spec (offline: built-in "
                                                     "candidates only)"),
        sae: bool = typer.Option(True, "--sae/--no-sae", help="Add sparse-autoencoder "
                                                              "features as candidates"),
        prune: bool = typer.Option(False, "--prune/--no-prune", help="Keep in the surrogate "
                                   "only the hypotheses up to where the cross-fitted curve "
                                   "flattens (default: all that were selected)"),
        judge: str = typer.Option("offline", help="Judge spec"),
        max_texts: int | None = typer.Option(None, min=1, help="Use at most this many texts "
                                                           "(seeded sample)"),
        save_surrogate: Path | None = typer.Option(None, help="Save the HypothesisClassifier "
                                                              "(JSON) to this file"),
        encoding: str = typer.Option("utf-8", help="Text encoding of the input files"),
        seed: int = typer.Option(0, min=0, help="Seed of the folds and the autoencoder"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Print progress"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr"),
    ) -> None:
        """Explain what a classifier predicts with a few hypotheses and report the % of its
        performance they explain."""
        from ..explain import explain, load_inputs, load_labelled
        from ..explain.display import print_explain
        from ..registry import make_judge, make_proposer

        console, err = Console(), Console(stderr=True)
        t0 = time.perf_counter()
        check_encoding(encoding)
        inputs = [data, check_data, unlabeled]
        if out is not None:
            check_output_file(out, inputs=[*inputs, save_surrogate])
        if save_surrogate is not None:
            check_output_file(save_surrogate, inputs=[*inputs, out], flag="--save-surrogate")
        if check_data is not None and not label_field:
            raise InputError("--check-data needs --label-field (the gold label of each text)")
        pos = _parse(positive) if positive is not None else None
        inputs = load_inputs(data, text_field=text_field, prediction_field=prediction_field,
                             label_field=label_field, encoding=encoding, positive=pos)
        check = None
        if check_data is not None:
            check = load_labelled(check_data, text_field=text_field, label_field=label_field,
                                  encoding=encoding)
        u_texts = u_pred = None
        if unlabeled is not None:
            u = load_inputs(unlabeled, text_field=text_field, prediction_field=prediction_field,
                            encoding=encoding, positive=inputs.positive)
            u_texts, u_pred = u.texts, u.predictions
        log = (lambda m: err.print(f"[dim]{m}[/dim]")) if verbose else None
        from .output import start_progress

        start_progress(quiet=quiet, verbose=verbose)
        extra = None if proposer.strip() == "offline" else make_proposer(proposer)
        result = explain(inputs, judge=make_judge(judge), proposer=extra, sae=sae,
                         prune=prune, max_hypotheses=max_hypotheses, selection=selection,
                         max_texts=max_texts, check=check,
                         check_name=str(check_data) if check_data else "check data",
                         task=task, unlabeled=u_texts, unlabeled_predictions=u_pred,
                         seed=seed, log=log)
        result.timing["wall_s"] = round(time.perf_counter() - t0, 3)
        print_explain(result, console)
        if out is not None:
            result.save(out)
            console.print(f"wrote {out}", style="dim")
        if save_surrogate is not None:
            sur = result.surrogate_
            if isinstance(sur, list):
                raise InputError("--save-surrogate: one surrogate per class in a multi-class "
                                 "problem; use the Python API")
            sur.judge_spec = judge
            sur.save(save_surrogate)
            console.print(f"wrote {save_surrogate}", style="dim")


def _parse(value: str):
    try:
        return int(value)
    except ValueError:
        return value
