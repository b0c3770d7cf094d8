"""Judge specs of this package: ``student:PATH`` and the expensive ``joint`` teacher."""

from __future__ import annotations

from ..errors import InputError
from ..registry import register_judge


def _student(path: str):
    from ..judges.student import StudentJudge

    if not path:
        raise InputError("--judge student:PATH: give the folder written by `wordlens distill`")
    return StudentJudge.load(path)


def _joint(_: str):
    from ..judges.joint import JointEncodingJudge

    return JointEncodingJudge()


register_judge("student", _student, "a distilled bi-encoder student: student:FOLDER")
register_judge("joint", _joint, "EXPENSIVE stand-in teacher: one MiniLM pass per "
                                "(hypothesis, text) pair")
