"""Verification of candidate hypotheses on held-out texts.

- :func:`verify` (``adaptive``): the judge judges every hypothesis on the validation texts,
  in growing slices, stopping hypotheses that cannot reach the top k;
- :func:`verify_amortized` (``amortized``): an expensive judge (the teacher) labels a
  random sample per hypothesis, a cheap student judges every text, and prediction-powered
  inference combines them into statistics that stay valid however poor the student is.
"""

from .adaptive import Accumulator, Verification, cannot_reach_top, round_cuts, run_rounds, verify
from .amortized import AmortizedPlan, verify_amortized
from .evidence import Evidence, JudgmentArrays

__all__ = ["Accumulator", "AmortizedPlan", "Evidence", "JudgmentArrays", "Verification",
           "cannot_reach_top", "round_cuts", "run_rounds", "verify", "verify_amortized"]
