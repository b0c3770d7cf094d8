"""wordlens.progress: one line per phase off a terminal, nothing when off, and a display
failure never ends a run."""

from __future__ import annotations

import io

import pytest

from wordlens.progress import Progress, current, phase, using


def test_lines_mode_writes_one_line_per_finished_phase():
    buf = io.StringIO()
    with using(Progress("lines", stream=buf)):
        with phase("proposing") as ph:
            ph.done("60 candidates")
        with phase("verifying", total=4, unit="rounds") as ph:
            for _ in range(4):
                ph.advance()
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("proposing... 60 candidates (") and lines[0].endswith(" s)")
    assert lines[1].startswith("verifying... 4 rounds (")


def test_a_phase_that_raises_leaves_no_line():
    buf = io.StringIO()
    with using(Progress("lines", stream=buf)), pytest.raises(ValueError):
        with phase("verifying"):
            raise ValueError("boom")
    assert buf.getvalue() == ""


def test_off_by_default_and_after_the_block():
    assert current().mode == "off"
    with using(Progress("lines", stream=io.StringIO())):
        assert current().mode == "lines"
    assert current().mode == "off"


class _Broken(io.StringIO):
    def isatty(self):
        return True

    def write(self, s):
        raise OSError("the terminal went away")


def test_a_bar_that_cannot_draw_turns_progress_off_and_the_work_goes_on():
    rep = Progress("bars", stream=_Broken())
    done = 0
    with using(rep):
        with phase("verifying", total=3) as ph:
            for _ in range(3):
                ph.advance()
                done += 1
        with phase("again") as ph:
            ph.done("fine")
    assert done == 3 and rep.mode == "off"


def test_auto_is_lines_when_the_stream_is_not_a_terminal():
    assert Progress("auto", stream=io.StringIO()).mode == "lines"
    with pytest.raises(ValueError):
        Progress("loud")
