"""`wordlens bench DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_command(
        directory: Path = typer.Argument(..., help="Folder of pair folders (a.jsonl, b.jsonl, "
                                                   "meta.json), like shared/datasets"),
        max_texts: Optional[int] = typer.Option(None, help="Texts per corpus (a slice for CI)"),
        seed: int = typer.Option(0),
        judge: str = typer.Option("offline", help="Judge spec used by diff"),
        proposer: str = typer.Option("offline", help="Proposer spec used by diff"),
        out: Optional[Path] = typer.Option(None, help="Write all results as JSON"),
        only: Optional[str] = typer.Option(None, help="Comma-separated pair names to run"),
    ) -> None:
        """Run diff on every pair folder and check the known answers."""
        from ..bench import print_bench, run_bench

        report = run_bench(directory, max_texts=max_texts, seed=seed, judge=judge,
                           proposer=proposer, only=only.split(",") if only else None)
        print_bench(report)
        if out is not None:
            from ..result import write_atomic
            import json

            write_atomic(out, json.dumps(report, indent=2))
