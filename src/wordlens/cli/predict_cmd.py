"""`wordlens predict SURROGATE texts.jsonl --out preds.jsonl`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console

from ..errors import InputError
from ..outfile import check_output_file, write_atomic
from .checks import check_encoding


def register(app: typer.Typer) -> None:
    @app.command("predict")
    def predict_command(
        surrogate: Path = typer.Argument(..., help="Surrogate saved by explain "
                                                   "--save-surrogate"),
        data: Path = typer.Argument(..., help="New texts: .jsonl, .csv, .tsv, .parquet"),
        out: Path = typer.Option(..., "--out", "-o", help="Write predictions (JSONL)"),
        text_field: str | None = typer.Option(None, help="Field/column holding the text"),
        label_field: str | None = typer.Option(None, help="Gold label field: report accuracy"),
        judge: str | None = typer.Option(None, help="Judge spec (default: the saved one)"),
        encoding: str = typer.Option("utf-8", help="Text encoding of the input file"),
    ) -> None:
        """Apply a saved surrogate to new texts: prediction, probability and judgments per
        text."""
        from ..corpus import as_corpus
        from ..explain.predict import match_labels, predict_rows
        from ..explain.surrogate import load_surrogate

        console = Console()
        t0 = time.perf_counter()
        check_encoding(encoding)
        check_output_file(out, inputs=[surrogate, data])
        sur = load_surrogate(surrogate)
        fields = [label_field] if label_field else []
        corpus = as_corpus(data, data.stem, text_field=text_field, encoding=encoding,
                           extra_fields=fields)
        if corpus.n_blank_dropped:
            raise InputError(f"{data}: {corpus.n_blank_dropped} row(s) have a blank text; "
                             "predict writes one row per input row: fill or remove them")
        labels = None
        if label_field:
            labels = match_labels(corpus.extra[label_field], list(sur.classes_),
                                  source=str(data), field_name=label_field)
        if judge is not None:
            from ..registry import make_judge

            sur.judge = make_judge(judge)
        rows, summary = predict_rows(sur, corpus.texts, labels)
        write_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        dt = time.perf_counter() - t0
        console.print(f"predicted {summary.n_texts} texts with {len(sur.hypotheses_)} "
                      f"hypotheses in {dt:.1f} s; wrote {out}")
        if summary.accuracy is not None:
            console.print(f"accuracy on {label_field!r}: {summary.accuracy:.3f} "
                          f"({summary.n_correct} of {summary.n_texts}); majority-class "
                          f"baseline {summary.baseline_accuracy:.3f}")
