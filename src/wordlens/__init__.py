"""wordlens: describe in plain words, with honest statistics, how two text corpora differ."""

__version__ = "0.1.0"

from .corpus import Corpus, as_corpus, load_corpus
from .diff import diff
from .errors import BackendError, BudgetExceeded, InputError, WordlensError
from .hypothesis import Hypothesis
from .result import DiffResult, HypothesisResult

__all__ = [
           "BackendError",
           "BudgetExceeded",
           "Corpus",
           "DiffResult",
           "Hypothesis",
           "HypothesisResult",
           "InputError",
           "WordlensError",
           "__version__",
           "as_corpus",
           "diff",
           "load_corpus",
]
