"""Run the `wordlens` command line attached to a pseudo-terminal of a given size, as a person
types it, and read back what the screen received."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


@dataclass
class Screen:
    code: int
    raw: str  # every byte the terminal received, escape sequences included

    @property
    def text(self) -> str:
        """What was written, without colours and cursor movement; a carriage return (a bar
        drawn again) starts a new line."""
        return ANSI.sub("", self.raw).replace("\r\n", "\n").replace("\r", "\n")


def run_in_pty(args: list[str], *, cwd: Path, cols: int = 80, rows: int = 40,
               timeout: float = 600, env: dict | None = None) -> Screen:
    """``wordlens ARGS`` with stdin, stdout and stderr on one pseudo-terminal of ``cols`` x
    ``rows`` (no COLUMNS/LINES in the environment: the program must ask the terminal)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    full_env.update({"TERM": "xterm-256color", **(env or {})})
    code = "import sys\nfrom wordlens.__main__ import _run\nsys.exit(_run())"
    proc = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=cwd,
                            stdin=slave, stdout=slave, stderr=slave, env=full_env,
                            start_new_session=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError as exc:  # EIO: the program closed the terminal
                if exc.errno == errno.EIO:
                    break
                raise
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            raise TimeoutError(f"wordlens {' '.join(map(str, args))}: over {timeout} s")
    finally:
        os.close(master)
    return Screen(proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace"))
