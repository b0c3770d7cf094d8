"""One exception hierarchy for wordlens; the CLI turns these into one-line messages."""

from __future__ import annotations


class WordlensError(Exception):
    """Base class of every error wordlens raises on purpose."""

    exit_code = 1


class InputError(WordlensError, ValueError):
    """A user-supplied file, field or argument is wrong (names the file, line or field)."""

    exit_code = 2


class BackendError(WordlensError):
    """A model backend failed or is misconfigured (server down, model path missing, ...)."""

    exit_code = 3


class BudgetExceeded(WordlensError):
    """A cost or call budget ran out; partial results may have been saved."""

    exit_code = 4

    def __init__(self, message: str, partial_result: object | None = None):
        super().__init__(message)
        self.partial_result = partial_result


class NotFittedError(WordlensError, ValueError):
    """An estimator was used before `fit`."""


class MissingExtra(BackendError):
    """An optional package is not installed; the message names the ``pip install`` line."""


#: optional packages -> the wordlens extra that installs them
EXTRAS = {"openai": "llm", "tenacity": "llm", "transformers": "transformers",
          "gguf": "transformers", "accelerate": "transformers", "matplotlib": "report",
          "ray": "ray"}


def missing_extra(module: str, purpose: str | None = None) -> MissingExtra:
    """The error for a missing optional package (``module`` may be dotted)."""
    root = module.split(".")[0]
    extra = EXTRAS.get(root)
    how = f"pip install 'wordlens[{extra}]'" if extra else f"pip install {root}"
    head = f"{purpose} needs" if purpose else "wordlens needs"
    return MissingExtra(f"{head} the optional package {root!r}, which is not installed: {how}")
