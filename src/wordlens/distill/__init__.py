"""Training a student judge: a teacher labels actively chosen pairs, a student (encoder +
head, :mod:`wordlens.judges.student`) learns them, and a report measures the agreement."""

from .active import acquisition_scores, label_actively, select_top
from .distiller import distill, make_student
from .metrics import agreement, expected_calibration_error
from .result import DistillReport
from .training import fit_head, fit_student, fit_text_encoder

__all__ = ["DistillReport", "acquisition_scores", "agreement", "distill",
           "expected_calibration_error", "fit_head", "fit_student", "fit_text_encoder",
           "label_actively", "make_student", "select_top"]
