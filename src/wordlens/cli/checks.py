"""Checks every command runs on its options before doing any work (one-line errors)."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError

#: the fewest teacher judgments amortized verification can use: 2 labels per side for one
#: hypothesis (the statistics need two on each side)
MIN_TEACHER_LABELS = 4


def check_encoding(encoding: str, flag: str = "--encoding") -> None:
    """A text encoding Python knows (``utf-8``, ``latin-1``, ...)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"{flag} {encoding!r}: unknown text encoding (try utf-8 or "
                         "latin-1)") from None


def check_open_unit(value: float | None, flag: str) -> None:
    """``value`` strictly between 0 and 1 (a probability such as --alpha)."""
    if value is not None and not 0 < value < 1:
        raise InputError(f"{flag} {value}: must be between 0 and 1 (exclusive)")


def check_positive(value: float | None, flag: str) -> None:
    if value is not None and not value > 0:
        raise InputError(f"{flag} {value}: must be greater than 0")


def check_judge_spec(spec: str | None, flag: str) -> None:
    """A judge spec the registry knows (and whose optional extra is installed)."""
    if spec is not None:
        from ..registry import check_spec

        check_spec("judge", spec, flag=flag)


def check_teacher_budget(budget: int | None, n_hypotheses: int | None) -> None:
    """``--teacher-budget`` large enough for two teacher labels per side per hypothesis
    (``n_hypotheses``: when known before proposing, i.e. with ``--hypotheses``)."""
    if budget is None:
        return
    check_positive(budget, "--teacher-budget")
    n = max(n_hypotheses or 1, 1)
    need = MIN_TEACHER_LABELS * n
    if budget < need:
        what = f"{n} hypotheses" if n_hypotheses else "one hypothesis"
        raise InputError(f"--teacher-budget {budget}: too small; {what} need at least "
                         f"{need} teacher judgments (2 labels per side each)")


def check_student_folder(student: Path | None) -> None:
    """``--student DIR``: a folder; when it holds no student yet, one the student distilled
    now can be written to."""
    if student is None:
        return
    if student.exists() and not student.is_dir():
        raise InputError(f"--student {student}: not a folder")
    if not (student / "student.json").exists():
        from ..outfile import check_output_dir

        check_output_dir(student, flag="--student")
