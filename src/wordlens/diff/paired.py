"""The paired workflow's pieces that `diff` plugs in when its split is a
:class:`~wordlens.pairs.PairedSplit`: the option it refuses (``--decompose``), the proposer
that sees pairs, the paired statistics, and what the result says about the pairing.
Amortized verification of pairs: :mod:`wordlens.validation.paired_amortized`; streamed
pairs: :mod:`wordlens.engine.paired_stream`."""

from __future__ import annotations

from typing import Any

from ..pairs import PairedSplit
from ..pairstats import compare_paired
from ..proposers.base import Proposer
from ..split import Split

PAIRED_DEFINITIONS = {
    "validity": "mean over pairs of (judgment of the pair's A text - judgment of its B text) "
                "= share of A texts minus share of B texts over the same pairs",
    "ci_low/ci_high": "95% confidence interval of the mean paired difference (Tango's score "
                      "interval for 0/1 judgments, paired t interval for soft ones)",
    "p_value": "two-sided test of validity = 0 on the pairs: McNemar's exact test when "
               "judgments are 0/1, the paired t-test when soft",
    "auc": "within-pair probability that the favoured side's text is judged higher than the "
           "other text of the same pair (ties count one half; 0.5 = no difference)",
    "n_a/n_b": "pairs judged (the same pairs on both sides)",
}


PAIRED_AMORTIZED_DEFINITIONS = {
    "ci_low/ci_high": "95% interval of the mean paired difference by prediction-powered "
                      "inference: the student's per-pair differences on every pair, "
                      "corrected by the teacher-minus-student gap on a uniformly random "
                      "sample of pairs whose two texts the teacher judged (t reference)",
    "p_value": "two-sided test of validity = 0 from the same prediction-powered estimate",
    "auc": "within-pair probability that the favoured side's text is judged higher, on the "
           "teacher-labelled pairs (ties count one half)",
}


def is_paired(split: Split) -> bool:
    return isinstance(split, PairedSplit)


DECOMPOSE_REFUSAL = (
    "--decompose does not apply to pairs: both texts of a pair share their prompt or story, "
    "so any grouping of pairs gives the two sides the same composition, and the paired "
    "difference is already measured within each pair (the finest grouping); run without "
    "--decompose, or unpaired")


def paired_proposer(proposer: Proposer | None) -> Proposer:
    """A proposer that sees pairs: the side-by-side contrast prompt for an LLM proposer;
    otherwise the paired offline proposer over the given proposer's candidate sources (its
    candidates, plus phrases that differ within pairs, screened per pair)."""
    from ..proposers.llm import LLMProposer
    from ..proposers.offline import OfflineProposer
    from ..proposers.paired import PairedOfflineProposer
    from ..proposers.paired_llm import PairedLLMProposer, paired_llm_proposer

    if isinstance(proposer, (PairedOfflineProposer, PairedLLMProposer)):
        return proposer
    if isinstance(proposer, LLMProposer):
        return paired_llm_proposer(proposer)
    if proposer is None or type(proposer) is OfflineProposer:
        return PairedOfflineProposer(proposer)
    return PairedOfflineProposer(OfflineProposer(sources=[proposer]))


def paired_tests(ver: Any) -> list[Any]:
    """Paired statistics of every verified hypothesis: those the verification computed
    (streamed pairs: from per-pair moments; amortized pairs: prediction-powered), else from
    the judgments (a hypothesis stopped early has been judged on the first pairs of the
    validation order, the same pairs on both sides)."""
    if ver.extra.get("unit") == "pair" or not ver.in_memory:
        return list(ver.stats)
    return [compare_paired(x, y) for x, y in zip(ver.judgments_a, ver.judgments_b)]


def mark_paired(result: Any, split: PairedSplit, proposer_info: dict[str, Any]) -> None:
    """Say on ``result`` that (and how) the analysis was paired."""
    result.settings["paired"] = {
        "unit": "pair", "n_pairs": len(split.a), "n_proposal_pairs": len(split.proposal_a),
        "n_validation_pairs": len(split.validation_a),
        "split": "by pair (both texts of a pair in the same part)",
        "tests": paired_test_names(result.verification),
        "verification": paired_verification(result),
        "proposer_sees_pairs": bool(proposer_info.get("paired")) or
        proposer_info.get("name") == "given by the user"}
    result.definitions.update(PAIRED_DEFINITIONS)
    if result.verification.get("method") == "amortized":
        result.definitions.update(PAIRED_AMORTIZED_DEFINITIONS)
    if not result.settings["paired"]["proposer_sees_pairs"]:
        result.notes.append(f"The proposer {proposer_info.get('name')!r} does not take pairs: "
                            "it saw the two sides as two corpora (the statistics are paired).")


def paired_verification(result: Any) -> str:
    """How the pairs were verified: "amortized", "streamed" (batches of whole pairs on an
    engine: ``--engine`` / ``--fast``) or "exhaustive" (in memory)."""
    method = result.verification.get("method")
    engine = (result.settings.get("engine") or {}).get("name", "in-memory")
    if method != "amortized" and engine != "in-memory":
        return "streamed"
    return method


def paired_test_names(verification: dict[str, Any]) -> str:
    """What the paired statistics of a run are, by its verification method."""
    if verification.get("method") == "amortized":
        return ("prediction-powered inference on the per-pair differences (teacher on both "
                "texts of sampled pairs, student on every pair); t interval and p-value")
    return "McNemar exact (0/1), paired t-test (soft); CI of the mean paired difference"


def paired_header(result: Any) -> str | None:
    """One line for the terminal saying the analysis was paired (None when it was not)."""
    p = result.settings.get("paired") if isinstance(result.settings, dict) else None
    if not p:
        return None
    v = result.verification if isinstance(result.verification, dict) else {}
    head = (f"Paired analysis: {p['n_validation_pairs']} held-out pairs "
            f"({p['n_pairs']} in all, split by pair); ")
    if v.get("method") == "amortized":
        return head + (f"amortized: the teacher judged {v.get('teacher_calls', 0):,} of "
                       f"{v.get('teacher_calls_if_exhaustive', 0):,} (both texts of "
                       f"{v.get('teacher_pairs_labelled', 0):,} sampled pairs over all "
                       "hypotheses), prediction-powered paired differences.")
    eng = result.settings.get("engine") or {}
    if p.get("verification") == "streamed" and eng.get("name"):
        head += (f"streamed on the {eng['name']} engine (batches of whole pairs, per-pair "
                 "moments merged); ")
    return head + "McNemar / paired t-tests."
