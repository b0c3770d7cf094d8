"""Verification of candidate hypotheses on held-out texts.

- :func:`verify` (``adaptive``): the judge judges every hypothesis on the validation texts,
  in growing slices, stopping hypotheses that cannot reach the top k;
- :func:`verify_amortized` (``amortized``): an expensive judge (the teacher) labels a
  random sample per hypothesis, a cheap student judges every text, and prediction-powered
  inference combines them into statistics that stay valid however poor the student is.
"""

from .adaptive import Verification, cannot_reach_top, verify
from .amortized import AmortizedPlan, verify_amortized

__all__ = ["AmortizedPlan", "Verification", "cannot_reach_top", "verify", "verify_amortized"]
