"""`diff`: describe how two corpora differ, end to end."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import __version__
from .corpus import Corpus, as_corpus
from .errors import BudgetExceeded, InputError
from .hypothesis import Hypothesis, as_hypotheses
from .judges.base import Judge
from .proposers.base import Proposer
from .result import CorpusInfo, DiffResult, HypothesisResult
from .stats import benjamini_hochberg, compare
from .textutil import truncate
from .validation import Verification, verify

MIN_TEXTS = 10


def split_halves(n: int, proposal_fraction: float, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Seeded, disjoint proposal and validation indices (validation is shuffled)."""
    perm = rng.permutation(n)
    k = int(round(n * proposal_fraction))
    k = min(max(k, 2), n - 2)
    return perm[:k], perm[k:]


def diff(a: Any, b: Any, *, goal: str | None = None, proposer: Proposer | None = None,
         judge: Judge | None = None, hypotheses: Sequence[str | Hypothesis] | None = None,
         seed: int = 0, proposal_fraction: float = 0.5, max_texts: int | None = None,
         top_k: int = 10, adaptive: bool = True, alpha: float = 0.05, n_examples: int = 3,
         text_field: str | None = None, encoding: str = "utf-8",
         progress: bool = False, log=None) -> DiffResult:
    """Find natural-language hypotheses that hold more often in ``a`` than ``b`` or vice versa.

    ``a`` and ``b`` are paths, lists of strings or pandas Series. Hypotheses are proposed from
    one seeded part of each corpus and verified on the other, so their statistics are measured
    on texts the proposer never saw. Pass ``hypotheses`` to skip proposing and test your own.
    """
    if not 0 < proposal_fraction < 1:
        raise InputError(f"proposal_fraction must be between 0 and 1, got {proposal_fraction}")
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    say = log or (lambda msg: None)
    timing: dict[str, float] = {}
    t0 = time.perf_counter()
    ca = as_corpus(a, "A", text_field=text_field, encoding=encoding)
    cb = as_corpus(b, "B", text_field=text_field, encoding=encoding)
    rng = np.random.default_rng(seed)
    ta, tb = _limit(ca, max_texts, rng), _limit(cb, max_texts, rng)
    for label, c, texts in (("A", ca, ta), ("B", cb, tb)):
        if len(texts) < MIN_TEXTS:
            raise InputError(f"corpus {label} ({c.source}): {len(texts)} texts; wordlens diff "
                             f"needs at least {MIN_TEXTS} per corpus (half to propose, half to "
                             "verify)")
    pa, va = split_halves(len(ta), proposal_fraction, rng)
    pb, vb = split_halves(len(tb), proposal_fraction, rng)
    prop_a, prop_b = [ta[i] for i in pa], [tb[i] for i in pb]
    val_a, val_b = [ta[i] for i in va], [tb[i] for i in vb]
    timing["load_s"] = time.perf_counter() - t0

    from .judges.offline import OfflineJudge
    from .proposers.offline import OfflineProposer

    judge = judge if judge is not None else OfflineJudge()
    t1 = time.perf_counter()
    if hypotheses is not None:
        cands = as_hypotheses(hypotheses)
        proposer_info: dict[str, Any] = {"name": "given by the user", "class": None}
    else:
        proposer = proposer if proposer is not None else OfflineProposer()
        cands = as_hypotheses(proposer.propose(prop_a, prop_b, goal, seed=seed))
        proposer_info = proposer.describe()
    timing["propose_s"] = time.perf_counter() - t1
    say(f"proposed {len(cands)} hypotheses in {timing['propose_s']:.1f}s")

    t2 = time.perf_counter()
    bar = _progress_bar(progress, "verifying")
    # judges with a budget (LLM judges) stop cleanly and keep their finished rounds
    verify_fn = getattr(judge, "verify_within_budget", None)
    if verify_fn is not None:
        ver = verify_fn(cands, val_a, val_b, top_k=top_k, adaptive=adaptive,
                        on_round=(lambda r, n: bar.update(1)) if bar else None)
    else:
        ver = verify(cands, val_a, val_b, judge, top_k=top_k, adaptive=adaptive,
                     on_round=(lambda r, n: bar.update(1)) if bar else None)
    if bar:
        bar.close()
    timing["verify_s"] = time.perf_counter() - t2
    say(f"verified on {len(val_a)}+{len(val_b)} held-out texts in {timing['verify_s']:.1f}s "
        f"({ver.judgments_made} judgments, {ver.judgments_saved} saved by adaptive stopping)")

    t3 = time.perf_counter()
    relevance = _goal_relevance(goal, ver.hypotheses, judge)
    rows = _statistics(ver, val_a, val_b, alpha, n_examples, relevance)
    timing["stats_s"] = time.perf_counter() - t3
    timing["total_s"] = time.perf_counter() - t0

    notes = _notes(judge, proposer_info, goal)
    budget_notes = [n for n in (proposer_info.get("budget_note"),
                                getattr(ver, "budget_note", None)) if n]
    notes += [f"Partial result: {n}" for n in budget_notes]
    result = DiffResult(
        hypotheses=rows,
        corpus_a=CorpusInfo(ca.name, ca.source, len(ta), len(prop_a), len(val_a),
                            ca.n_blank_dropped),
        corpus_b=CorpusInfo(cb.name, cb.source, len(tb), len(prop_b), len(val_b),
                            cb.n_blank_dropped),
        goal=goal, seed=seed, alpha=alpha,
        settings={"proposal_fraction": proposal_fraction, "top_k": top_k, "adaptive": adaptive,
                  "max_texts": max_texts, "confidence": 0.95, "fdr": "benjamini-hochberg",
                  "n_examples": n_examples},
        proposer=proposer_info, judge=judge.describe(),
        verification={"candidates": len(cands), "judgments_made": ver.judgments_made,
                      "judgments_if_exhaustive": ver.judgments_full,
                      "judgments_saved": ver.judgments_saved, "rounds": ver.rounds,
                      "stopped_early": int(sum(ver.stopped_early))},
        timing={k: round(v, 3) for k, v in timing.items()},
        notes=notes, wordlens_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    if budget_notes:  # the caller decides whether to save the partial result
        raise BudgetExceeded(budget_notes[-1], partial_result=result)
    return result


def _limit(c: Corpus, max_texts: int | None, rng: np.random.Generator) -> list[str]:
    if max_texts is None or len(c.texts) <= max_texts:
        return list(c.texts)
    idx = np.sort(rng.choice(len(c.texts), size=max_texts, replace=False))
    return [c.texts[i] for i in idx]


def _statistics(ver: Verification, val_a: list[str], val_b: list[str], alpha: float,
                n_examples: int, relevance: np.ndarray | None) -> list[HypothesisResult]:
    if not ver.hypotheses:
        return []
    tests = [compare(x, y) for x, y in zip(ver.judgments_a, ver.judgments_b)]
    q = benjamini_hochberg([t.p_value for t in tests])
    rows = []
    for i, (h, t) in enumerate(zip(ver.hypotheses, tests)):
        side = "A" if t.validity >= 0 else "B"
        other = "B" if side == "A" else "A"
        auc = t.auc if side == "A" else 1.0 - t.auc
        fav_texts, fav_j = (val_a, ver.judgments_a[i]) if side == "A" else (val_b,
                                                                            ver.judgments_b[i])
        oth_texts, oth_j = (val_b, ver.judgments_b[i]) if side == "A" else (val_a,
                                                                           ver.judgments_a[i])
        rows.append(HypothesisResult(
            rank=0, hypothesis=h.text, direction=side,
            statement=f"compared to {other}, texts in {side} more often {h.text}",
            source=h.source, share_a=t.share_a, share_b=t.share_b, validity=t.validity,
            ci_low=t.ci_low, ci_high=t.ci_high, p_value=t.p_value, q_value=float(q[i]),
            auc=auc, significant=bool(q[i] < alpha), n_a=t.n_a, n_b=t.n_b, test=t.test,
            stopped_early=ver.stopped_early[i],
            form=dict(h.form) if h.form is not None else None,
            goal_relevance=None if relevance is None else round(float(relevance[i]), 4),
            examples_for=_examples(fav_texts, fav_j, n_examples, holds=True),
            examples_against=_examples(oth_texts, oth_j, n_examples, holds=False),
        ))
    rows.sort(key=_rank_key)
    for r, row in enumerate(rows, start=1):
        row.rank = r
    return rows


def _rank_key(row: HypothesisResult) -> tuple[float, float]:
    near_zero = 0.0 if row.ci_low <= 0 <= row.ci_high else min(abs(row.ci_low),
                                                               abs(row.ci_high))
    return (-near_zero, -abs(row.validity))


def _examples(texts: list[str], j: np.ndarray, k: int, *, holds: bool) -> list[str]:
    n = j.size
    if n == 0 or k <= 0:
        return []
    order = np.argsort(-j[:n] if holds else j[:n], kind="stable")
    picked = [i for i in order if (j[i] >= 0.5) == holds][:k]
    return [truncate(texts[i]) for i in picked]


def _goal_relevance(goal: str | None, cands: list[Hypothesis], judge: Judge):
    if not goal or not cands:
        return None
    from .encoders import default_encoder

    enc = getattr(judge, "encoder", None) or default_encoder()
    g = enc.encode([goal])[0]
    return enc.encode([h.text for h in cands]) @ g


def _notes(judge: Judge, proposer_info: dict[str, Any], goal: str | None) -> list[str]:
    notes = []
    desc = judge.describe()
    if str(desc.get("class", "")).endswith("StudentJudge"):
        teacher = (desc.get("teacher") or {}).get("name", "its teacher")
        notes.append("Hypotheses with a programmatic form are judged exactly; free-text "
                     f"hypotheses by a student distilled from {teacher}, an approximation of "
                     "that teacher (agreement in the student's report.json). Use "
                     "--confirm-with to re-check the top findings with the teacher.")
    elif "offline" in str(desc.get("name", "")) or desc.get("approximation"):
        notes.append("Hypotheses with a programmatic form (properties, keyword lists) are judged "
                     "exactly; free-text hypotheses are judged by a zero-shot embedding "
                     "similarity, an approximation of truth. Use an LLM judge for reading.")
    if goal and "offline" in str(proposer_info.get("name", "")):
        notes.append("Offline, the research goal only re-orders candidates by semantic "
                     "similarity to it (goal_relevance); statistics do not depend on it.")
    return notes


def _progress_bar(enabled: bool, desc: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=None, desc=desc, unit="round", leave=False)
