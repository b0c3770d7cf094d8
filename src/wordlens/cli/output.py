"""What every command shows on stderr while it runs (wordlens.progress)."""

from __future__ import annotations

import sys

from ..progress import Progress, install


def start_progress(*, quiet: bool = False, verbose: bool = False) -> Progress:
    """Install this command's progress: bars on a terminal, else one line per phase (none
    with ``--verbose``, whose log has its own line per phase); nothing with ``--quiet``."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or odd stderr
        tty = False
    mode = "off" if quiet else "bars" if tty else "off" if verbose else "lines"
    reporter = Progress(mode)
    install(reporter)
    return reporter
