"""`wordlens bench DIR`."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_command(
        directory: Path = typer.Argument(..., help="Folder of pair folders (a.jsonl, b.jsonl, "
                                                   "meta.json), like shared/datasets"),
        max_texts: int | None = typer.Option(None, help="Texts per corpus (a slice for CI)"),
        seed: int = typer.Option(0),
        judge: str = typer.Option("offline", help="Judge spec used by diff"),
        proposer: str = typer.Option("offline", help="Proposer spec used by diff"),
        out: Path | None = typer.Option(None, help="Write all results as JSON"),
        only: str | None = typer.Option(None, help="Comma-separated pair names to run"),
    ) -> None:
        """Run diff on every pair folder and check the known answers."""
        from ..bench import print_bench, run_bench

        report = run_bench(directory, max_texts=max_texts, seed=seed, judge=judge,
                           proposer=proposer, only=only.split(",") if only else None)
        print_bench(report)
        if out is not None:
            import json

            from ..result import write_atomic

            write_atomic(out, json.dumps(report, indent=2))
