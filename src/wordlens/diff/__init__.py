"""The diff pipeline: describe how two corpora differ, end to end (:func:`diff`), or on texts
already drawn (:func:`diff_split`), with every setting in one :class:`DiffConfig`."""

from ..result import DiffResult, HypothesisResult
from .config import DiffConfig
from .pipeline import MIN_TEXTS, amortized_plan, diff, diff_split

__all__ = ["MIN_TEXTS", "DiffConfig", "DiffResult", "HypothesisResult", "amortized_plan",
           "diff", "diff_split"]
