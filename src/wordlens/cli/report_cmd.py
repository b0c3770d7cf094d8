"""`wordlens report result.json --out report.html`."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        result: Path = typer.Argument(..., help="A result JSON written by `wordlens diff --out`"),
        out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write"),
        top: int = typer.Option(30, min=1, help="Hypotheses to show"),
    ) -> None:
        """Write a self-contained HTML page (plot, table, examples) for a diff result."""
        from ..outfile import check_output_file
        from ..report import write_report

        check_output_file(out, inputs=[result])
        path = write_report(result, out, top=top, warn=lambda m: typer.echo(
            f"wordlens: warning: {m}", err=True))
        typer.echo(f"wrote {path}")
