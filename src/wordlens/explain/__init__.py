"""Explain a classifier in words: hypotheses whose judgments reproduce its predictions, a
surrogate built only from them, "% of performance explained", and spurious-cue flags."""

from .display import print_explain
from .explainer import explain
from .inputs import ExplainInputs, from_model, load_inputs, load_labelled, make_inputs
from .result import ExplainResult
from .surrogate import HypothesisClassifier, cross_fit_proba, load_surrogate

__all__ = [
    "ExplainInputs",
    "ExplainResult",
    "HypothesisClassifier",
    "cross_fit_proba",
    "explain",
    "from_model",
    "load_inputs",
    "load_labelled",
    "load_surrogate",
    "make_inputs",
    "print_explain",
]
