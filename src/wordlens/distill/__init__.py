"""Amortized verification: distil an expensive judge into a fast bi-encoder student."""

from ..judges.fast_student import FastStudentJudge
from ..judges.joint import JointEncodingJudge
from ..judges.student import StudentJudge
from .active import acquisition_scores, label_actively, select_top
from .distiller import distill, make_student
from .report import DistillReport, agreement, expected_calibration_error

__all__ = ["DistillReport", "FastStudentJudge", "JointEncodingJudge", "StudentJudge",
           "acquisition_scores", "agreement", "distill", "expected_calibration_error",
           "label_actively", "make_student", "select_top"]
