"""`diff`: describe how two corpora differ, end to end."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from .config import DiffConfig
from ..corpus import Corpus, as_corpus
from .corpus_notes import corpus_notes
from ..errors import BudgetExceeded, InputError
from ..goal import GoalRelevance, goal_relevance, rank_for_goal
from .grouping import group_findings
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..progress import phase, reports_progress
from ..proposers.base import Proposer
from ..result import CorpusInfo, DiffResult, HypothesisResult
from ..split import Split
from ..stats import benjamini_hochberg
from ..textutil import truncate
from ..validation import AmortizedPlan, Verification
from ..version import __version__

__all__ = ["MIN_TEXTS", "DiffConfig", "diff", "diff_split"]

MIN_TEXTS = 10


@reports_progress
def diff(a: Any, b: Any = None, config: DiffConfig | None = None, *, progress: bool = False,
         log: Callable[[str], None] | None = None, **options: Any) -> DiffResult:
    """Find natural-language hypotheses that hold more often in ``a`` than ``b`` or vice versa.

    ``a`` and ``b`` are paths, lists of strings or pandas Series. The settings are a
    :class:`~wordlens.DiffConfig` (``config``), keywords naming its fields (``goal=``,
    ``judge=``, ``seed=``, ...; they replace the config's), or both. Hypotheses are proposed
    from one seeded part of each corpus and verified on the other, so their statistics are
    measured on texts the proposer never saw. Pass ``hypotheses`` to skip proposing and test
    your own. The texts used are on the result as ``result.split_`` (a
    :class:`~wordlens.Split`). ``progress``: True shows bars (or phase lines) on stderr, or a
    :class:`wordlens.progress.Progress`; ``log`` receives timing lines.

    ``judge_controls`` (default: as the judge's tags say, on for LLM judges) also judges
    control hypotheses that cannot differ and flags findings no larger than the bias they
    show (wordlens.controls). ``decompose`` (``"auto"``, a number of groups K, or
    ``"field:NAME"``) adds ``result.decomposition`` (see :mod:`wordlens.decompose`).
    ``fast=True`` trades some accuracy of the zero-shot judgments for speed on large corpora
    (the result's notes say what); ``engine`` (``"inprocess"``, ``"ray"`` or a
    :class:`wordlens.engine.Engine`) streams verification in batches on that engine, with the
    same ranking, groups and judge controls as in memory. ``verify``: ``"exhaustive"`` or
    ``"amortized"`` (a ``teacher_budget``, a ``student``, prediction-powered inference);
    default: amortized when the judge is expensive. ``paired`` / ``pair_id`` make the
    comparison paired (docs/paired-and-groups.md).
    """
    t0 = time.perf_counter()
    cfg = DiffConfig.of(config, **options)
    cfg.check()
    from .decompose import DecomposeSpec

    spec = DecomposeSpec.parse(cfg.decompose) if cfg.decompose is not None else None
    split, (ca, cb) = _draw(a, b, cfg, spec)
    result = diff_split(split, cfg, corpora=(ca, cb), progress=progress, log=log,
                        load_s=time.perf_counter() - t0)
    if spec is not None:
        from .decompose import decompose_split

        result.decomposition = decompose_split(
            result, split, spec, run=partial(diff_split, config=cfg.verification_only()),
            judge=cfg.judge_or_default(),
            proposer=cfg.proposer, hypotheses=cfg.hypotheses, corpora=(ca, cb),
            goal=cfg.goal, top_k=cfg.top_k, adaptive=cfg.adaptive, alpha=cfg.alpha,
            n_examples=cfg.n_examples, log=log)
    return result


def _draw(a: Any, b: Any, cfg: DiffConfig, spec: Any) -> tuple[Split, tuple[Corpus, Corpus]]:
    """The corpora and the one seeded split of the run (paired when asked)."""
    if cfg.paired is not None or cfg.pair_id is not None:
        from ..pairs import PairedSplit, load_pairs

        if spec is not None:
            from .paired import DECOMPOSE_REFUSAL

            raise InputError(DECOMPOSE_REFUSAL)
        pairs = load_pairs(a, b, fields=cfg.paired, pair_id=cfg.pair_id,
                           text_field=cfg.text_field, encoding=cfg.encoding)
        split: Split = PairedSplit.draw_pairs(pairs, seed=cfg.seed, max_pairs=cfg.max_texts,
                                              proposal_fraction=cfg.proposal_fraction,
                                              min_pairs=MIN_TEXTS)
        return split, (pairs.corpus_a, pairs.corpus_b)
    extra = (spec.field,) if spec is not None and spec.field else ()
    ca = as_corpus(a, "A", text_field=cfg.text_field, encoding=cfg.encoding,
                   extra_fields=extra)
    cb = as_corpus(b, "B", text_field=cfg.text_field, encoding=cfg.encoding,
                   extra_fields=extra)
    split = Split.draw(ca.texts, cb.texts, seed=cfg.seed,
                       proposal_fraction=cfg.proposal_fraction, max_texts=cfg.max_texts,
                       min_texts=MIN_TEXTS, names=(f"A ({ca.source})", f"B ({cb.source})"))
    if spec is not None:  # a field that cannot partition the texts fails before any work
        from .decompose import check_partition

        check_partition(split, spec, (ca, cb))
    return split, (ca, cb)


def amortized_plan(teacher_budget: int | None = None, student: Judge | str | None = None,
                   student_cache: str | bool | None = True, seed: int = 0) -> AmortizedPlan:
    """The :class:`AmortizedPlan` of :func:`diff`'s amortized-verification arguments."""
    return DiffConfig(teacher_budget=teacher_budget, student=student,
                      student_cache=student_cache, seed=seed).amortized_plan()


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
    from .paired import is_paired, mark_paired, paired_proposer, paired_tests

    engine, setup, cfg = _streamed_setup(split, cfg, timing)
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


def _streamed_setup(split: Split, cfg: DiffConfig, timing: dict[str, float]):
    """Engine and the ``fast`` preset's setup of a streamed run (wordlens.engine: batches on
    an engine, mergeable summaries); nothing for the in-memory path. The preset replaces a
    default judge and proposer in the returned config."""
    if not cfg.streamed:
        return None, None, cfg
    from ..engine import make_engine
    from .presets import FastSetup

    engine = make_engine(cfg.engine)
    setup = None
    if cfg.fast:
        t0 = time.perf_counter()
        setup = FastSetup.prepare(split, judge=cfg.judge, proposer=cfg.proposer)
        timing["fast_setup_s"] = time.perf_counter() - t0
        cfg = dataclasses.replace(cfg, judge=setup.judge, proposer=(
            None if cfg.hypotheses is not None else setup.proposer))
    return engine, setup, cfg


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
    goal-first when there is a goal, then grouped (wordlens.grouping)."""
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

