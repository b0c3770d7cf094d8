"""wordlens: describe in plain words, with honest statistics, how two text corpora differ."""

__version__ = "0.1.0"

from .corpus import Corpus, as_corpus, load_corpus  # noqa: E402
from .diff import diff  # noqa: E402
from .errors import BackendError, BudgetExceeded, InputError, WordlensError  # noqa: E402
from .hypothesis import Hypothesis  # noqa: E402
from .result import DiffResult, HypothesisResult  # noqa: E402

__all__ = ["diff", "Hypothesis", "DiffResult", "HypothesisResult", "Corpus", "as_corpus",
           "load_corpus", "WordlensError", "InputError", "BackendError", "BudgetExceeded",
           "__version__"]
