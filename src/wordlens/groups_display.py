"""Terminal rendering of a many-group result: the hypothesis x group matrix and one short
table per group."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .groups_result import GroupsResult


def matrix_table(result: GroupsResult, top: int = 20) -> Table:
    """Validity of each hypothesis (rows) in each group (columns); * = significant."""
    against = f"vs {result.reference}" if result.reference else "vs the rest"
    table = Table(title=f"Validity by group ({against}; * = q < {result.alpha}, one FDR "
                        "family over all cells)")
    table.add_column("hypothesis", overflow="fold", min_width=28, ratio=1)
    for g in result.columns:
        table.add_column(escape(g), justify="right", no_wrap=True)
    for h in result.matrix_order(top):
        cells = []
        for k in range(len(result.columns)):
            v, sig = result.validity[h][k], result.significant[h][k]
            if v is None:
                cells.append("-")
                continue
            color = "green" if v > 0 else "red"
            cells.append(f"[{color}]{v:+.2f}*[/{color}]" if sig else f"[dim]{v:+.2f}[/dim]")
        table.add_row(escape(result.hypotheses[h]), *cells)
    return table


def print_groups(result: GroupsResult, console: Console | None = None, top: int = 20) -> None:
    console = console or Console()
    if not console.is_terminal and console.width < 140:
        console.width = 140
    ref = f"against {result.reference!r}" if result.reference else "each against the rest"
    console.print(f"Many groups: {len(result.groups)} groups by field {result.field!r} "
                  f"({ref}); {len(result.hypotheses)} hypotheses x {len(result.columns)} "
                  f"groups = {result.settings.get('n_tests')} tests, one false-discovery "
                  "family.", style="bold")
    console.print(matrix_table(result, top))
    for s in result.sections:
        sig = s.significant[: max(1, top // 4)]
        if not sig:
            console.print(f"{s.group}: no significant difference from {s.against} "
                          f"({s.n_validation} vs {s.n_validation_other} held-out texts).")
            continue
        console.print(f"{s.group} vs {s.against} ({len(s.significant)} significant; "
                      f"{s.n_validation} vs {s.n_validation_other} held-out texts):")
        for h in sig:
            where = s.group if h.direction == "A" else s.against
            console.print(f"  more often in {escape(where)}: {escape(h.hypothesis)} "
                          f"({h.validity:+.3f} [{h.ci_low:+.2f}, {h.ci_high:+.2f}], "
                          f"q {h.q_value:.2g})", highlight=False)
    console.print(f"{result.n_significant()} significant (group, hypothesis) cells at q < "
                  f"{result.alpha} (Benjamini-Hochberg over all of them).")
    for note in result.notes:
        console.print(f"note: {note}", style="dim")
