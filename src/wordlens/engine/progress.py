"""Progress bars (rich, on stderr, only on a terminal) with texts/s and an ETA."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def _rate_column(unit: str):
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} {unit}/s" if speed else f"- {unit}/s", style="cyan")

    return RateColumn()


class Phases:
    """One bar per phase of a run. Disabled (every call a no-op) unless ``enabled`` and
    stderr is a terminal."""

    def __init__(self, enabled: bool = True, console: Any = None):
        self.enabled = bool(enabled) and (console.is_terminal if console is not None
                                          else sys.stderr.isatty())
        self.console = console

    @contextmanager
    def phase(self, description: str, total: int | None = None,
              unit: str = "texts") -> Iterator[Callable[[int], None]]:
        """``with phases.phase("verifying", total=n) as advance: advance(k)``; a spinner when
        ``total`` is None."""
        if not self.enabled:
            yield lambda k=1: None
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = self.console or Console(stderr=True)
        cols = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
        if total is not None:
            cols += [BarColumn(), MofNCompleteColumn(), _rate_column(unit), TextColumn("ETA"),
                     TimeRemainingColumn()]
        cols.append(TimeElapsedColumn())
        with Progress(*cols, console=console, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda k=1: bar.advance(task, k)
