"""The diff pipeline: describe how two corpora differ, end to end (:func:`diff`), or on texts
already drawn (:func:`diff_split`), with every setting in one :class:`DiffConfig`."""

from ..result import DiffResult, HypothesisResult
from .api import diff
from .config import DiffConfig
from .pipeline import MIN_TEXTS, diff_split

__all__ = ["MIN_TEXTS", "DiffConfig", "DiffResult", "HypothesisResult", "diff", "diff_split"]
