"""`wordlens bench [DIR]`."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_command(
        directory: Path | None = typer.Argument(
            None, help="Folder of pair folders (default: the shipped set)"),
        max_texts: int | None = typer.Option(None, min=10, help="Texts per corpus (a slice "
                                                                "for CI)"),
        seed: int = typer.Option(0, min=0),
        judge: str = typer.Option("offline", help="Judge spec used by diff"),
        proposer: str = typer.Option("offline", help="Proposer spec used by diff"),
        out: Path | None = typer.Option(None, help="Write all results as JSON"),
        only: str | None = typer.Option(None, help="Comma-separated pair names to run"),
        fast: bool = typer.Option(False, "--fast", help="Run diff --fast on every pair"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr"),
    ) -> None:
        """Run diff on every pair folder and check the known answers.

        A pair folder holds a.jsonl, b.jsonl and meta.json; with --fast the known answers
        are still matched with --judge."""
        from ..bench import print_bench, run_bench, shipped_pairs_dir
        from ..outfile import check_output_file

        if directory is None:
            directory = shipped_pairs_dir()
            typer.echo(f"bench: the small pair set shipped with wordlens ({directory}); "
                       "pass a folder for your own pairs")
        if out is not None:
            check_output_file(out)
        from .output import start_progress

        start_progress(quiet=quiet)
        report = run_bench(directory, max_texts=max_texts, seed=seed, judge=judge,
                           proposer=proposer, only=only.split(",") if only else None,
                           fast=fast)
        print_bench(report)
        if out is not None:
            import json

            from ..outfile import write_atomic

            write_atomic(out, json.dumps(report, indent=2))
