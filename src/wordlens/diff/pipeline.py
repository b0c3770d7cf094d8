"""The diff pipeline on texts already drawn (:func:`diff_split`): propose on a split's
proposal part, verify on its validation part, rank, group, run the judge controls."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..corpus import Corpus
from ..errors import BudgetExceeded
from ..goal import GoalRelevance, goal_relevance, rank_for_goal
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..progress import phase, reports_progress
from ..proposers.base import Proposer
from ..result import CorpusInfo, DiffResult, HypothesisResult
from ..split import Split
from ..stats import benjamini_hochberg
from ..textutil import truncate
from ..validation import Verification
from ..version import __version__
from .config import DiffConfig
from .corpus_notes import corpus_notes
from .grouping import group_findings
from .paired import is_paired, mark_paired, paired_proposer, paired_tests
from .presets import prepare

__all__ = ["MIN_TEXTS", "diff_split"]

MIN_TEXTS = 10


@reports_progress
def diff_split(split: Split, config: DiffConfig | None = None, *,
               corpora: tuple[Corpus, Corpus] | None = None, progress: bool = False,
               log: Callable[[str], None] | None = None, load_s: float = 0.0,
               **options: Any) -> DiffResult:
    """:func:`diff` on texts already drawn: propose on ``split``'s proposal part, verify on its
    validation part. Use it to run again on exactly the texts of an earlier run. Settings as
    for :func:`diff` (the split's seed is the run's seed: an amortized plan's is set from
    it)."""
    cfg = DiffConfig.of(config, **options)
    cfg.check()
    say = log or (lambda msg: None)
    timing: dict[str, float] = {"load_s": load_s}
    t0 = time.perf_counter() - load_s
    engine = _engine(cfg)
    setup = prepare(split, cfg)  # the preset (fast) picks the judge and proposer left to it
    if setup is not None:
        cfg = setup.config
        timing["fast_setup_s"] = setup.seconds
    if is_paired(split) and cfg.hypotheses is None:  # after --fast's setup: its judge screens
        cfg = dataclasses.replace(cfg, proposer=paired_proposer(cfg.proposer))
    judge = cfg.judge_or_default()
    mode = cfg.verify_mode(judge)
    t1 = time.perf_counter()
    prop_split = setup.proposal_split if setup is not None else split
    with phase("proposing", show=cfg.hypotheses is None) as ph:
        cands, proposer_info = _propose(prop_split, cfg.proposer, cfg.hypotheses, cfg.goal)
        ph.done(f"{len(cands)} candidates")
    timing["propose_s"] = time.perf_counter() - t1
    say(f"proposed {len(cands)} hypotheses in {timing['propose_s']:.1f}s")

    t2 = time.perf_counter()
    val_a, val_b = split.validation_a, split.validation_b
    strategy = cfg.strategy(mode, engine)
    ver = strategy.run(cands, split, judge, top_k=cfg.top_k, adaptive=cfg.adaptive,
                       n_examples=cfg.n_examples, alpha=cfg.alpha, log=say)
    timing["verify_s"] = time.perf_counter() - t2
    if is_paired(split):
        ver.stats = paired_tests(ver)
    say(f"verified on {len(val_a)}+{len(val_b)} held-out texts in {timing['verify_s']:.1f}s "
        f"({ver.judgments_made} judgments by the judge, {ver.judgments_saved} saved)")

    t3 = time.perf_counter()
    relevance, rows = _ranked_rows(cfg.goal, ver, val_a, val_b, cfg.alpha, cfg.n_examples,
                                   judge, cfg.proposer)
    timing["stats_s"] = time.perf_counter() - t3
    controls = None
    cfg, control_notes = _controls_when_amortized(cfg, judge, ver)
    if cfg.controls_on(judge):
        t4 = time.perf_counter()
        controls, control_notes = strategy.controls(judge, ver, rows, split, cfg.alpha)
        timing["controls_s"] = time.perf_counter() - t4
    timing["total_s"] = time.perf_counter() - t0

    notes = _notes(judge, proposer_info, cfg.goal) + list(proposer_info.get("notes", []))
    notes += corpus_notes(split.a, split.b)
    notes += control_notes
    if setup is not None:
        notes += setup.notes
    notes += ver.notes
    budget_notes = [n for n in (proposer_info.get("budget_note"), ver.budget_note) if n]
    notes += [f"Partial result: {n}" for n in budget_notes]
    info_a, info_b = _corpus_info(split, corpora)
    result = DiffResult(
        hypotheses=rows, corpus_a=info_a, corpus_b=info_b,
        goal=cfg.goal, seed=split.seed, alpha=cfg.alpha,
        settings={"proposal_fraction": split.proposal_fraction, "top_k": cfg.top_k,
                  "adaptive": cfg.adaptive, "max_texts": split.max_texts, "confidence": 0.95,
                  "fdr": "benjamini-hochberg", "n_examples": cfg.n_examples,
                  "fast": cfg.fast, "engine": ver.engine}
        | ({"goal": relevance.describe()} if relevance is not None else {}),
        proposer=proposer_info, judge=judge.describe(),
        verification={"method": "exhaustive", "candidates": len(cands),
                      "judgments_made": ver.judgments_made,
                      "judgments_if_exhaustive": ver.judgments_full,
                      "judgments_saved": ver.judgments_saved, "rounds": ver.rounds,
                      "stopped_early": int(sum(ver.stopped_early))}
        | ver.extra,
        timing={k: round(v, 3) for k, v in timing.items()},
        notes=notes, judge_controls=controls.to_dict() if controls else None,
        wordlens_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    result.split_ = split
    if is_paired(split):
        mark_paired(result, split, proposer_info)
    if budget_notes:  # the caller decides whether to save the partial result
        raise BudgetExceeded(budget_notes[-1], partial_result=result)
    return result


def _engine(cfg: DiffConfig):
    """The engine a streamed run verifies on (wordlens.engine: batches, mergeable summaries);
    None for the in-memory path."""
    if not cfg.streamed:
        return None
    from ..engine import make_engine

    return make_engine(cfg.engine)


def _propose(split: Split, proposer: Proposer | None,
             hypotheses: Sequence[str | Hypothesis] | None, goal: str | None
             ) -> tuple[list[Hypothesis], dict[str, Any]]:
    if hypotheses is not None:
        return as_hypotheses(hypotheses), {"name": "given by the user", "class": None}
    if proposer is None:
        from ..proposers.offline import OfflineProposer

        proposer = OfflineProposer()
    cands = as_hypotheses(proposer.propose(split.proposal_a, split.proposal_b, goal,
                                           seed=split.seed))
    return cands, proposer.describe()


def _controls_when_amortized(cfg: DiffConfig, judge: Judge, ver: Verification
                             ) -> tuple[DiffConfig, list[str]]:
    """Judge controls are off by default after amortized verification: they would have the
    teacher judge every validation text."""
    amortized = ver.extra.get("method") == "amortized"
    if cfg.judge_controls is None and amortized and judge.tags.controls_by_default:
        return dataclasses.replace(cfg, judge_controls=False), [
            "Judge controls were not run: with amortized verification they would have the "
            "teacher judge every validation text (judge_controls=True runs them)."]
    return cfg, []


def _corpus_info(split: Split, corpora: tuple[Corpus, Corpus] | None
                 ) -> tuple[CorpusInfo, CorpusInfo]:
    out = []
    for label, texts, prop, val, i in (("A", split.a, split.proposal_a, split.validation_a, 0),
                                       ("B", split.b, split.proposal_b, split.validation_b, 1)):
        c = corpora[i] if corpora is not None else None
        out.append(CorpusInfo(c.name if c else label, c.source if c else "texts", len(texts),
                              len(prop), len(val), c.n_blank_dropped if c else 0))
    return out[0], out[1]


def _statistics(ver: Verification, val_a: list[str], val_b: list[str], alpha: float,
                n_examples: int, relevance: GoalRelevance | None) -> list[HypothesisResult]:
    if not ver.hypotheses:
        return []
    tests = ver.stats or []
    q = benjamini_hochberg([t.p_value for t in tests])
    texts = {"A": val_a, "B": val_b}
    rows = []
    for i, (h, t) in enumerate(zip(ver.hypotheses, tests)):
        side = "A" if t.validity >= 0 else "B"
        other = "B" if side == "A" else "A"
        auc = t.auc if side == "A" else 1.0 - t.auc
        ex_for = [truncate(texts[side][k])
                  for k in ver.examples(i, side, holds=True, k=n_examples)]
        ex_against = [truncate(texts[other][k])
                      for k in ver.examples(i, other, holds=False, k=n_examples)]
        rows.append(HypothesisResult(
            rank=0, hypothesis=h.text, direction=side,
            statement=f"compared to {other}, a text in {side} more often {h.text}",
            source=h.source, share_a=t.share_a, share_b=t.share_b, validity=t.validity,
            ci_low=t.ci_low, ci_high=t.ci_high, p_value=t.p_value, q_value=float(q[i]),
            auc=auc, significant=bool(q[i] < alpha), n_a=t.n_a, n_b=t.n_b, test=t.test,
            stopped_early=ver.stopped_early[i],
            form=dict(h.form) if h.form is not None else None,
            goal_relevance=None if relevance is None else round(
                float(relevance.relevance[i]), 4),
            answers_goal=None if relevance is None else bool(relevance.relevant[i]),
            examples_for=ex_for, examples_against=ex_against,
            amortized=ver.details[i] if ver.details is not None else None,
        ))
    rows.sort(key=_rank_key)
    for r, row in enumerate(rows, start=1):
        row.rank = r
    return rows


def _rank_key(row: HypothesisResult) -> tuple[float, float]:
    near_zero = 0.0 if row.ci_low <= 0 <= row.ci_high else min(abs(row.ci_low),
                                                               abs(row.ci_high))
    return (-near_zero, -abs(row.validity))


def _ranked_rows(goal: str | None, ver: Verification, val_a: list[str], val_b: list[str],
                 alpha: float, n_examples: int, judge: Judge, proposer: Proposer | None
                 ) -> tuple[GoalRelevance | None, list[HypothesisResult]]:
    """The goal's relevance (None without a goal) and the rows in their reported order:
    goal-first when there is a goal, then grouped (wordlens.diff.grouping)."""
    relevance = _goal_relevance(goal, ver.hypotheses, judge, proposer)
    rows = _statistics(ver, val_a, val_b, alpha, n_examples, relevance)
    if relevance is not None:
        rows = rank_for_goal(rows)
    return relevance, group_findings(rows, ver)


def _goal_relevance(goal: str | None, cands: list[Hypothesis], judge: Judge,
                    proposer: Proposer | None) -> GoalRelevance | None:
    """Relevance to the goal: rated by the LLM of the judge or proposer when there is one
    (D5), else by the offline views (wordlens.goal)."""
    if not goal or not cands:
        return None
    client = judge.client or (proposer.client if proposer is not None else None)
    return goal_relevance(goal, cands, judge.encoder, client)


def _notes(judge: Judge, proposer_info: dict[str, Any], goal: str | None) -> list[str]:
    notes = []
    caveat = judge.caveat()
    if caveat:
        notes.append(caveat)
    if goal:
        notes.append("The research goal orders the table: significant hypotheses about what "
                     "it asks (answers_goal, by the kind of statement and its similarity to "
                     "the goal: wordlens.goal) come first, the other findings after; every "
                     "statistic and the false-discovery family are the same as without it.")
    return notes

