"""`wordlens distill --teacher SPEC --data A B ... --hypotheses H --budget N --out DIR`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputError
from ..outfile import check_output_dir


def register(app: typer.Typer) -> None:
    @app.command("distill")
    def distill_command(
        more_data: list[Path] = typer.Argument(None, help="More corpus files (so that "
                                                          "`--data a.jsonl b.jsonl` works)"),
        teacher: str = typer.Option("offline", help="Teacher judge spec: offline, joint, an LLM "
                                                    "..."),
        data: list[Path] = typer.Option(None, "--data", help="Corpus files whose texts the "
                                                             "student learns on"),
        hypotheses: list[Path] = typer.Option(..., "--hypotheses",
                                              help=".txt (one per line) or a diff result "
                                                   ".json; repeat for more"),
        budget: int = typer.Option(3000, min=1,
                                   help="Teacher judgments for training + calibration"),
        out: Path = typer.Option(..., "--out", "-o", help="Folder for the student and "
                                                          "report.json"),
        strategy: str = typer.Option("uncertainty", help="uncertainty, disagreement or "
                                                         "random"),
        rounds: int = typer.Option(4, min=1, help="Selection rounds (the first is random)"),
        eval_pairs: int = typer.Option(3000, min=0,
                                       help="Extra teacher judgments to measure agreement"),
        unseen_fraction: float = typer.Option(0.2, help="Share of hypotheses held out of "
                                                        "training"),
        max_texts: int | None = typer.Option(None, min=1,
                                              help="At most this many texts per corpus"),
        text_field: str | None = typer.Option(None, help="Field/column holding the text"),
        student_kind: str = typer.Option("standard", "--student",
                                         help="standard (MiniLM, closest) or fast (static "
                                              "encoder)"),
        seed: int = typer.Option(0, min=0),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Print each round"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr"),
    ) -> None:
        """Distil a teacher judge into a fast student judge (then: diff --judge student:DIR).

        --student standard: a MiniLM bi-encoder, closest to the teacher; fast: a static text
        encoder and a two-tower head, no transformer pass per text, less faithful."""
        from ..distill import distill, make_student
        from ..distill.data import load_texts
        from ..distill.display import format_report
        from ..hypothesis import load_hypotheses
        from ..registry import make_judge

        paths = list(data or []) + list(more_data or [])
        if not paths:
            raise InputError("--data: give at least one corpus file")
        check_output_dir(out, inputs=[*paths, *hypotheses])
        if not 0 <= unseen_fraction < 1:
            raise InputError(f"--unseen-fraction: {unseen_fraction} is not in [0, 1)")
        student = make_student(student_kind, seed)  # checks --student before any work
        texts, info = load_texts(paths, text_field=text_field, max_texts=max_texts, seed=seed)
        hyps = load_hypotheses(hypotheses)
        judge = make_judge(teacher)
        from .output import start_progress

        start_progress(quiet=quiet, verbose=verbose)
        log = (lambda m: typer.echo(m, err=True)) if verbose else None
        student, report = distill(judge, texts, hyps, budget=budget, strategy=strategy,
                                  rounds=rounds, unseen_fraction=unseen_fraction,
                                  eval_pairs=eval_pairs, seed=seed,
                                  student=student,
                                  data_info={"corpora": info, "teacher_spec": teacher},
                                  log=log)
        student.save(out, extra={"teacher_spec": teacher})
        report.save(out / "report.json")
        typer.echo(format_report(report))
        typer.echo(f"wrote {out}/ (use: wordlens diff A B --judge student:{out})")
