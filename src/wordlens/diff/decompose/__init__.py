"""Decomposed differences: split a comparison into groups of texts (clusters or a field),
test the groups' composition, diff inside each group, and recombine (group-adjusted
validity of each top-level hypothesis, with flags for composition effects and Simpson's
paradox)."""

from ...decomposition import FLAG_RULES, SCHEMA, Decomposition, GroupRow, RecombinedRow, WithinRow
from .groups import DecomposeSpec, Partition
from .run import MIN_GROUP_TEXTS, check_partition, decompose_split
from .stratified import StratifiedEstimate, flags_for, stratified_difference

__all__ = ["FLAG_RULES", "MIN_GROUP_TEXTS", "SCHEMA", "DecomposeSpec", "Decomposition",
           "GroupRow", "Partition", "RecombinedRow", "StratifiedEstimate", "WithinRow",
           "check_partition", "decompose_split", "flags_for", "stratified_difference"]
