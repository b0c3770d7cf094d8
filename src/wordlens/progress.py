"""Progress of a run on stderr, for every command: rich bars (with a total, an ETA) on a
terminal, one short line per phase elsewhere (``proposing... 60 candidates (4.1 s)``),
nothing when quiet. Drawing never stops a run: any failure to draw turns progress off.

Code that does slow work opens a phase on the reporter in use::

    from wordlens.progress import phase

    with phase("verifying", total=4, unit="rounds") as ph:
        ...; ph.advance()
        ph.done("15,000 judgments")   # the end of the phase's line

A library call shows nothing (the reporter is off) unless the caller installs one:
``with wordlens.progress.using(Progress("auto")): wordlens.diff(...)``; the command line does.
"""

from __future__ import annotations

import contextvars
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["MODES", "Phase", "Progress", "current", "install", "phase", "reports_progress", "scope",
           "using"]

MODES = ("auto", "bars", "lines", "off")


class Phase:
    """One running phase: ``advance(k)`` (also ``ph(k)``), ``set_total(n)``, ``done(text)``."""

    def __init__(self, reporter: Progress, description: str, total: int | None, unit: str,
                 depth: int):
        self.reporter, self.description, self.unit = reporter, description, unit
        self.total, self.completed, self.depth = total, 0, depth
        self.summary: str | None = None
        self.started = time.perf_counter()
        self.task: Any = None  # the rich task id, in bars mode

    def __call__(self, k: int = 1) -> None:
        self.advance(k)

    def advance(self, k: int = 1) -> None:
        """``k`` more units done."""
        self.completed += k
        self.reporter._update(self)

    def set_total(self, total: int | None) -> None:
        """The number of units, once known (a bar with an ETA from then on)."""
        self.total = total
        self.reporter._update(self)

    def done(self, summary: str) -> None:
        """What the phase ended with, e.g. ``"60 candidates"``: the end of its line."""
        self.summary = summary

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """A reporter. ``mode``: ``bars`` (rich, for a terminal), ``lines`` (one line per
    finished phase), ``off``, or ``auto`` (bars when ``stream`` is a terminal, else lines)."""

    def __init__(self, mode: str = "auto", stream: TextIO | None = None):
        if mode not in MODES:
            raise ValueError(f"progress mode {mode!r}; choose from {', '.join(MODES)}")
        self.stream = stream if stream is not None else sys.stderr
        if mode == "auto":
            mode = "bars" if _isatty(self.stream) else "lines"
        self.mode = mode
        self._open: list[Phase] = []
        self._bar: Any = None  # the rich Progress while a phase is open, in bars mode

    @contextmanager
    def phase(self, description: str, total: int | None = None, unit: str = "items",
              show: bool = True) -> Iterator[Phase]:
        """Open a phase for the ``with`` block. Its line (or bar) ends with the phase; a
        phase that raises leaves no line; ``show=False`` draws nothing."""
        ph = Phase(self, description, total, unit, len(self._open))
        if self.mode == "off" or not show:
            yield ph
            return
        self._open.append(ph)
        self._safe(self._start, ph)
        ok = False
        try:
            yield ph
            ok = True
        finally:
            self._open.remove(ph)
            self._safe(self._finish, ph, ok)

    # -- drawing (every call goes through _safe) -------------------------------------------
    def _safe(self, fn, *args, **kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:  # a display problem must never end a run: stop drawing
            self._bar = None
            self.mode = "off"

    def _update(self, ph: Phase) -> None:
        if self.mode == "bars" and self._bar is not None and ph.task is not None:
            self._safe(self._bar.update, ph.task, completed=ph.completed, total=ph.total)

    def _start(self, ph: Phase) -> None:
        if self.mode != "bars":
            return
        if self._bar is None:
            self._bar = _rich_progress(self.stream)
            self._bar.start()
        ph.task = self._bar.add_task(ph.description, total=ph.total, unit=ph.unit)

    def _finish(self, ph: Phase, ok: bool) -> None:
        line = self.line(ph) if ok else None
        if self.mode == "lines":
            if line is not None:
                self.stream.write(line + "\n")
                self.stream.flush()
            return
        bar = self._bar
        if bar is None:
            return
        if ph.task is not None:
            bar.remove_task(ph.task)
        if line is not None:
            bar.console.print(line, style="dim", markup=False, highlight=False)
        if not self._open:
            self._bar = None
            bar.stop()

    @staticmethod
    def line(ph: Phase) -> str:
        """The line of a finished phase: ``proposing... 60 candidates (4.1 s)``."""
        what = ph.summary if ph.summary is not None else (
            f"{ph.completed:,} {ph.unit}" if ph.total is not None or ph.completed else "done")
        return f"{'  ' * ph.depth}{ph.description}... {what} ({ph.elapsed:.1f} s)"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:  # a closed or odd stream
        return False


def _rich_progress(stream: TextIO):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as RichProgress,
    )
    from rich.text import Text

    class CountColumn(ProgressColumn):
        """``3/4 rounds ETA 0:05`` for a counted phase; nothing for an uncounted one."""

        def render(self, task: Any) -> Text:
            if task.total is None:
                return Text("")
            left = task.time_remaining
            eta = "-:--" if left is None else f"{int(left) // 60}:{int(left) % 60:02d}"
            return Text(f"{int(task.completed)}/{int(task.total)} "
                        f"{task.fields.get('unit', '')} ETA {eta}", style="cyan")

    console = Console(file=stream)
    return RichProgress(SpinnerColumn(), TextColumn("{task.description}"),
                        BarColumn(bar_width=20), CountColumn(), TimeElapsedColumn(),
                        console=console, transient=True, redirect_stdout=False,
                        redirect_stderr=False)


_OFF = Progress("off")
_CURRENT: contextvars.ContextVar[Progress | None] = contextvars.ContextVar(
    "wordlens_progress", default=None)


def current() -> Progress:
    """The reporter in use (off unless a caller installed one with :func:`using`)."""
    reporter = _CURRENT.get()
    return _OFF if reporter is None else reporter


@contextmanager
def using(reporter: Progress) -> Iterator[Progress]:
    """Install ``reporter`` for the ``with`` block (this thread / context only)."""
    token = _CURRENT.set(reporter)
    try:
        yield reporter
    finally:
        _CURRENT.reset(token)


def phase(description: str, total: int | None = None, unit: str = "items",
          show: bool = True):
    """A phase on the reporter in use (see :meth:`Progress.phase`)."""
    return current().phase(description, total=total, unit=unit, show=show)


def install(reporter: Progress) -> None:
    """Make ``reporter`` the one in use for the rest of this context (the command line runs
    each command in a copied context, so it ends with the command)."""
    _CURRENT.set(reporter)


@contextmanager
def scope(progress: bool | Progress | None) -> Iterator[Progress]:
    """``progress=`` of a library call: a :class:`Progress` to use, True for ``auto`` when
    none is in use yet, False/None to keep the one in use."""
    if isinstance(progress, Progress):
        with using(progress) as rep:
            yield rep
    elif progress is True and _CURRENT.get() is None:
        with using(Progress("auto")) as rep:
            yield rep
    else:
        yield current()


def reports_progress(fn):
    """Decorator: run ``fn`` inside :func:`scope` of its ``progress`` keyword argument."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with scope(kwargs.get("progress")):
            return fn(*args, **kwargs)

    return wrapper
