"""`wordlens report result.json --out report.html`: one HTML page for any result wordlens
writes, chosen by the result's ``schema``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from ..errors import InputError


@dataclass(frozen=True)
class Page:
    """How ``report`` renders one kind of result: its schema prefix, the kind's name for
    users, and ``render(data, top) -> html`` over the loaded JSON."""

    schema: str
    kind: str
    render: Callable[[dict[str, Any], int, Callable[[str], None] | None], str]


def _diff(data: dict[str, Any], top: int, warn: Callable[[str], None] | None) -> str:
    from ..diff.report import render_html, with_warnings
    from ..result import DiffResult, load_warnings

    result = DiffResult.from_dict(data)
    return with_warnings(render_html(result, top=top), load_warnings(result), warn)


def _explain(data: dict[str, Any], top: int, warn: Callable[[str], None] | None) -> str:
    from ..explain.html import render_explain_html
    from ..explain.result import ExplainResult

    return render_explain_html(ExplainResult.from_dict(data))


def _distill(data: dict[str, Any], top: int, warn: Callable[[str], None] | None) -> str:
    from ..distill.html import render_distill_html
    from ..distill.result import DistillReport

    return render_distill_html(DistillReport.from_dict(data))


def _decomposition(data: dict[str, Any], top: int, warn: Callable[[str], None] | None) -> str:
    from ..decomposition import Decomposition
    from ..diff.report import render_decomposition_html

    return render_decomposition_html(Decomposition.from_dict(data), top=top)


def _groups(data: dict[str, Any], top: int, warn: Callable[[str], None] | None) -> str:
    from ..groups_report import render_groups_html
    from ..groups_result import GroupsResult

    return render_groups_html(GroupsResult.from_dict(data), top=top)


# The kinds `report` renders. A new kind of result is one row here (its page renderer lives
# with its command, e.g. explain/html.py); the error for an unknown kind lists these names.
PAGES: list[Page] = [
    Page("wordlens.diff/", "diff", _diff),
    Page("wordlens.explain/", "explain", _explain),
    Page("wordlens.distill/", "distill", _distill),
    Page("wordlens.decomposition/", "decompose", _decomposition),
    Page("wordlens.groups/", "groups (diff --by)", _groups),
]


def render_page(path: Path, top: int = 30, warn: Callable[[str], None] | None = None) -> str:
    """The HTML page of the result JSON at ``path`` (InputError: what it is not); ``warn``
    receives one line per thing the page may be missing (a result of a newer version)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    kinds = ", ".join(p.kind for p in PAGES)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a JSON result ({exc})") from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if not isinstance(schema, str):
        raise InputError(f"{path}: not a wordlens result (no 'schema' field); report "
                         f"renders {kinds}")
    page = next((p for p in PAGES if schema.startswith(p.schema)), None)
    if page is None:
        raise InputError(f"{path} is a {schema} result; report renders {kinds}")
    try:
        return page.render(data, top, None if warn is None else (
            lambda m: warn(f"{path}: {m}")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: not a readable wordlens {page.kind} result "
                         f"({type(exc).__name__}: {exc})") from None


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        result: Path = typer.Argument(..., help="A result JSON (diff, explain, distill, "
                                                "decompose)"),
        out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write"),
        top: int = typer.Option(30, min=1, help="Hypotheses to show"),
    ) -> None:
        """Write a self-contained HTML page for a result: diff (plot, table, examples),
        explain (% explained curve, flags), distill (agreement, speed) or decompose."""
        from ..outfile import check_output_file, write_atomic

        check_output_file(out, inputs=[result])
        path = write_atomic(out, render_page(result, top=top, warn=lambda m: typer.echo(
            f"wordlens: warning: {m}", err=True)))
        typer.echo(f"wrote {path}")
