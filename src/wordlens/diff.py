"""`diff`: describe how two corpora differ, end to end."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .corpus import Corpus, as_corpus
from .corpus_notes import corpus_notes
from .errors import BudgetExceeded, InputError
from .goal import GoalRelevance, goal_relevance, rank_for_goal
from .grouping import group_findings
from .hypothesis import Hypothesis, as_hypotheses
from .judges.base import Judge
from .paired import is_paired
from .progress import phase, reports_progress
from .proposers.base import Proposer
from .result import CorpusInfo, DiffResult, HypothesisResult
from .split import Split
from .stats import benjamini_hochberg, compare
from .textutil import truncate
from .validation import AmortizedPlan, Verification, verify, verify_amortized
from .version import __version__

__all__ = ["MIN_TEXTS", "diff", "diff_split"]

MIN_TEXTS = 10


@reports_progress
def diff(a: Any, b: Any = None, *, goal: str | None = None, proposer: Proposer | None = None,
         judge: Judge | None = None, hypotheses: Sequence[str | Hypothesis] | None = None,
         seed: int = 0, proposal_fraction: float = 0.5, max_texts: int | None = None,
         top_k: int = 10, adaptive: bool = True, alpha: float = 0.05, n_examples: int = 3,
         text_field: str | None = None, encoding: str = "utf-8",
         judge_controls: bool | None = None, decompose: str | int | None = None,
         verify: str | None = None, teacher_budget: int | None = None,
         student: Judge | str | None = None, student_cache: str | bool | None = True,
         progress: bool = False, log=None, fast: bool = False,
         engine: Any = None, paired: Sequence[str] | None = None,
         pair_id: str | None = None) -> DiffResult:
    """Find natural-language hypotheses that hold more often in ``a`` than ``b`` or vice versa.

    ``a`` and ``b`` are paths, lists of strings or pandas Series. Hypotheses are proposed from
    one seeded part of each corpus and verified on the other, so their statistics are measured
    on texts the proposer never saw. Pass ``hypotheses`` to skip proposing and test your own.
    The texts used are on the result as ``result.split_`` (a :class:`~wordlens.Split`).
    ``progress``: True shows bars (or phase lines) on stderr, or a
    :class:`wordlens.progress.Progress`.
    ``judge_controls`` (default: on for LLM judges) also judges control hypotheses that
    cannot differ and flags findings no larger than the bias they show (wordlens.controls).
    ``decompose`` (``"auto"``, a number of groups K, or ``"field:NAME"``) adds
    ``result.decomposition``: group composition, within-group differences and group-adjusted
    validity of the top hypotheses (see :mod:`wordlens.decompose`).

    ``fast=True`` trades some accuracy of the zero-shot judgments for speed on large corpora
    (a static text encoder, a bounded proposal sample, streamed verification; the result's
    notes say what); ``engine`` (``"inprocess"``, ``"ray"`` or a
    :class:`wordlens.engine.Engine`) streams verification in batches on that engine.
    ``verify``: ``"exhaustive"`` (the judge judges every validation text, adaptively) or
    ``"amortized"`` (the judge labels a random sample per hypothesis within
    ``teacher_budget`` judgments, a student judges every text, and prediction-powered
    inference gives every number); default: amortized when ``judge.expensive``. ``student``
    is a judge or a student folder; ``student_cache``: True for the wordlens cache folder, a
    folder, or False for none.

    ``paired`` (two field names of the file ``a``; ``b`` None) or ``pair_id`` (an id field
    joining files ``a`` and ``b``) makes the comparison paired: split by pair, proposers see
    pairs, paired tests (see :mod:`wordlens.paired` and docs/paired-and-groups.md).
    """
    t0 = time.perf_counter()
    from .decompose import DecomposeSpec

    spec = DecomposeSpec.parse(decompose) if decompose is not None else None
    extra = (spec.field,) if spec is not None and spec.field else ()
    if paired is not None or pair_id is not None:
        from .pairs import PairedSplit, load_pairs

        if spec is not None:
            from .paired import DECOMPOSE_REFUSAL

            raise InputError(DECOMPOSE_REFUSAL)
        pairs = load_pairs(a, b, fields=paired, pair_id=pair_id, text_field=text_field,
                           encoding=encoding)
        ca, cb = pairs.corpus_a, pairs.corpus_b
        split: Split = PairedSplit.draw_pairs(pairs, seed=seed, max_pairs=max_texts,
                                              proposal_fraction=proposal_fraction,
                                              min_pairs=MIN_TEXTS)
    else:
        ca = as_corpus(a, "A", text_field=text_field, encoding=encoding, extra_fields=extra)
        cb = as_corpus(b, "B", text_field=text_field, encoding=encoding, extra_fields=extra)
        split = Split.draw(ca.texts, cb.texts, seed=seed, proposal_fraction=proposal_fraction,
                           max_texts=max_texts, min_texts=MIN_TEXTS,
                           names=(f"A ({ca.source})", f"B ({cb.source})"))
        if spec is not None:  # a field that cannot partition the texts fails before any work
            from .decompose import check_partition

            check_partition(split, spec, (ca, cb))
    # verification settings that every sub-diff of a decomposition shares with this run
    verify_kw: dict[str, Any] = {
        "judge_controls": judge_controls, "fast": fast, "engine": engine, "verify": verify,
        "plan": amortized_plan(teacher_budget, student, student_cache, seed)}
    result = diff_split(split, corpora=(ca, cb), goal=goal, proposer=proposer, judge=judge,
                        hypotheses=hypotheses, top_k=top_k, adaptive=adaptive, alpha=alpha,
                        n_examples=n_examples, progress=progress, log=log,
                        load_s=time.perf_counter() - t0, **verify_kw)
    if spec is not None:
        from functools import partial

        from .decompose import decompose_split
        from .judges.offline import OfflineJudge

        result.decomposition = decompose_split(
            result, split, spec, run=partial(diff_split, **verify_kw),
            judge=judge or OfflineJudge(), proposer=proposer, hypotheses=hypotheses,
            corpora=(ca, cb), goal=goal, top_k=top_k, adaptive=adaptive, alpha=alpha,
            n_examples=n_examples, log=log)
    return result


def amortized_plan(teacher_budget: int | None = None, student: Judge | str | None = None,
                   student_cache: str | bool | None = True, seed: int = 0) -> AmortizedPlan:
    """The :class:`AmortizedPlan` of :func:`diff`'s amortized-verification arguments."""
    from .cache import default_cache_dir

    cache = (default_cache_dir() if student_cache is True else
             None if student_cache in (False, None) else student_cache)
    return AmortizedPlan(budget=teacher_budget, student=student, cache_dir=cache, seed=seed)


@reports_progress
def diff_split(split: Split, *, corpora: tuple[Corpus, Corpus] | None = None,
               goal: str | None = None, proposer: Proposer | None = None,
               judge: Judge | None = None,
               hypotheses: Sequence[str | Hypothesis] | None = None, top_k: int = 10,
               adaptive: bool = True, alpha: float = 0.05, n_examples: int = 3,
               judge_controls: bool | None = None, progress: bool = False, log=None,
               load_s: float = 0.0, fast: bool = False, engine: Any = None,
               verify: str | None = None, plan: AmortizedPlan | None = None
               ) -> DiffResult:
    """:func:`diff` on texts already drawn: propose on ``split``'s proposal part, verify on its
    validation part. Use it to run again on exactly the texts of an earlier run."""
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    if top_k < 1:
        raise InputError(f"top_k must be at least 1, got {top_k}")
    say = log or (lambda msg: None)
    timing: dict[str, float] = {"load_s": load_s}
    t0 = time.perf_counter() - load_s
    from .judges.offline import OfflineJudge
    from .paired import mark_paired, paired_proposer, paired_tests

    streamed = fast or engine is not None
    engine, setup, judge, proposer = _streamed_setup(
        split, fast, engine, judge, proposer, hypotheses, timing)
    if is_paired(split) and hypotheses is None:  # after --fast's setup: its judge screens
        proposer = paired_proposer(proposer)
    judge = judge if judge is not None else OfflineJudge()
    mode = _verify_mode(verify, judge, streamed)
    t1 = time.perf_counter()
    prop_split = setup.proposal_split if setup is not None else split
    with phase("proposing", show=hypotheses is None) as ph:
        cands, proposer_info = _propose(prop_split, proposer, hypotheses, goal)
        ph.done(f"{len(cands)} candidates")
    timing["propose_s"] = time.perf_counter() - t1
    say(f"proposed {len(cands)} hypotheses in {timing['propose_s']:.1f}s")

    t2 = time.perf_counter()
    val_a, val_b = split.validation_a, split.validation_b
    if mode == "amortized":
        ver = _amortized(cands, split, judge, plan=plan, top_k=top_k, alpha=alpha, log=say)
    else:
        ver = _verify(cands, split, judge, engine=engine if streamed else None, top_k=top_k,
                      adaptive=adaptive, n_examples=n_examples)
    timing["verify_s"] = time.perf_counter() - t2
    if is_paired(split):
        ver.stats = paired_tests(ver)
    say(f"verified on {len(val_a)}+{len(val_b)} held-out texts in {timing['verify_s']:.1f}s "
        f"({ver.judgments_made} judgments by the judge, {ver.judgments_saved} saved)")

    t3 = time.perf_counter()
    relevance, rows = _ranked_rows(goal, ver, val_a, val_b, alpha, n_examples, judge, proposer)
    timing["stats_s"] = time.perf_counter() - t3
    controls = None
    judge_controls, control_notes = _controls_when_amortized(judge_controls, judge, ver)
    if not streamed and (judge_controls if judge_controls is not None else
                         getattr(judge, "controls_by_default", False)):
        from .controls import controls_for_diff

        t4 = time.perf_counter()
        controls, control_notes = controls_for_diff(judge, ver, rows, val_a, val_b, alpha)
        timing["controls_s"] = time.perf_counter() - t4
    timing["total_s"] = time.perf_counter() - t0

    notes = _notes(judge, proposer_info, goal) + list(proposer_info.get("notes", []))
    notes += corpus_notes(split.a, split.b)
    notes += control_notes
    if setup is not None:
        notes += setup.notes
    notes += getattr(ver, "notes", [])
    budget_notes = [n for n in (proposer_info.get("budget_note"), ver.budget_note) if n]
    notes += [f"Partial result: {n}" for n in budget_notes]
    info_a, info_b = _corpus_info(split, corpora)
    result = DiffResult(
        hypotheses=rows, corpus_a=info_a, corpus_b=info_b,
        goal=goal, seed=split.seed, alpha=alpha,
        settings={"proposal_fraction": split.proposal_fraction, "top_k": top_k,
                  "adaptive": adaptive, "max_texts": split.max_texts, "confidence": 0.95,
                  "fdr": "benjamini-hochberg", "n_examples": n_examples, "fast": fast,
                  "engine": ver.engine if streamed else {"name": "in-memory"}}
        | ({"goal": relevance.describe()} if relevance is not None else {}),
        proposer=proposer_info, judge=judge.describe(),
        verification={"method": "exhaustive", "candidates": len(cands),
                      "judgments_made": ver.judgments_made,
                      "judgments_if_exhaustive": ver.judgments_full,
                      "judgments_saved": ver.judgments_saved, "rounds": ver.rounds,
                      "stopped_early": int(sum(ver.stopped_early))}
        | getattr(ver, "extra", {}),
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


def _streamed_setup(split: Split, fast: bool, engine: Any, judge: Judge | None,
                    proposer: Proposer | None, hypotheses: Any, timing: dict[str, float]):
    """Engine and the ``--fast`` setup of a streamed run (wordlens.engine: batches on an
    engine, per-hypothesis summaries only); nothing for the in-memory path."""
    if not (fast or engine is not None):
        return None, None, judge, proposer
    from .engine import make_engine
    from .engine.fast import FastSetup

    engine = make_engine(engine)
    setup = None
    if fast:
        t0 = time.perf_counter()
        setup = FastSetup.prepare(split, judge=judge, proposer=proposer)
        timing["fast_setup_s"] = time.perf_counter() - t0
        judge, proposer = setup.judge, (None if hypotheses is not None else setup.proposer)
    return engine, setup, judge, proposer


def _propose(split: Split, proposer: Proposer | None,
             hypotheses: Sequence[str | Hypothesis] | None, goal: str | None
             ) -> tuple[list[Hypothesis], dict[str, Any]]:
    if hypotheses is not None:
        return as_hypotheses(hypotheses), {"name": "given by the user", "class": None}
    if proposer is None:
        from .proposers.offline import OfflineProposer

        proposer = OfflineProposer()
    cands = as_hypotheses(proposer.propose(split.proposal_a, split.proposal_b, goal,
                                           seed=split.seed))
    return cands, proposer.describe()


def _verify(cands: list[Hypothesis], split: Split, judge: Judge, *, engine: Any,
            top_k: int, adaptive: bool, n_examples: int) -> Verification:
    """Verify on the validation texts: streamed on ``engine`` (per-hypothesis summaries)
    when one is given, else in memory."""
    val_a, val_b = split.validation_a, split.validation_b
    if engine is not None:
        from .engine.stream import verify_streaming

        if is_paired(split):  # a batch holds whole pairs (wordlens.engine.paired_stream)
            from .engine.paired_stream import verify_paired_streaming as verify_streaming
        with phase("verifying", total=len(val_a) + len(val_b), unit="texts") as ph:
            ver = verify_streaming(cands, val_a, val_b, judge, engine=engine, top_k=top_k,
                                   adaptive=adaptive, n_examples=n_examples,
                                   seed=split.seed, on_texts=ph.advance)
            ph.done(_judgments(ver))
            return ver
    # verify's rounds: four growing slices when adaptive, one otherwise
    with phase("verifying", total=4 if adaptive else 1, unit="rounds") as ph:
        ver = verify(cands, val_a, val_b, judge, top_k=top_k, adaptive=adaptive,
                     on_round=lambda r, n: ph.advance())
        ph.done(_judgments(ver))
    return ver


def _judgments(ver: Verification) -> str:
    """A verification's end of line: judgments made and saved."""
    return f"{ver.judgments_made:,} judgments, {ver.judgments_saved:,} saved"


def _verify_mode(verify: str | None, judge: Judge, streamed: bool) -> str:
    """``verify`` checked; by default amortized for expensive judges (never when streaming)."""
    mode = verify or ("amortized" if judge.expensive and not streamed else "exhaustive")
    if mode not in ("amortized", "exhaustive"):
        raise InputError(f"--verify: {mode!r}; choose amortized or exhaustive")
    if streamed and mode == "amortized":
        raise InputError("--verify amortized cannot stream (--fast / --engine): choose one")
    return mode


def _amortized(cands: list[Hypothesis], split: Split, judge: Judge, *,
               plan: AmortizedPlan | None, top_k: int, alpha: float, log: Any
               ) -> Verification:
    """Amortized verification on the validation texts; the student learns on the proposal
    texts only."""
    run = verify_amortized
    if is_paired(split):  # teacher labels by pair (wordlens.validation.paired_amortized)
        from .validation.paired_amortized import verify_amortized_paired as run
    with phase("verifying (amortized)", unit="label rounds") as ph:
        ver = run(cands, split.validation_a, split.validation_b, judge, plan=plan,
                  top_k=top_k, alpha=alpha, log=log, on_round=lambda r, n: ph.advance(),
                  train_texts=split.proposal_a + split.proposal_b)
        ph.done(f"{ver.judgments_made:,} teacher judgments")
    return ver


def _controls_when_amortized(judge_controls: bool | None, judge: Judge, ver: Any
                             ) -> tuple[bool | None, list[str]]:
    """Judge controls are off by default after amortized verification: they would have the
    teacher judge every validation text."""
    amortized = getattr(ver, "extra", {}).get("method") == "amortized"
    if judge_controls is None and amortized and getattr(judge, "controls_by_default", False):
        return False, ["Judge controls were not run: with amortized verification they would "
                       "have the teacher judge every validation text (judge_controls=True "
                       "runs them)."]
    return judge_controls, []


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
    streamed = hasattr(ver, "side_a")  # StreamVerification: summaries, no judgment arrays
    stats = getattr(ver, "stats", None)
    tests = ver.tests() if streamed else stats if stats is not None else [
        compare(x, y) for x, y in zip(ver.judgments_a, ver.judgments_b)]
    q = benjamini_hochberg([t.p_value for t in tests])
    rows = []
    for i, (h, t) in enumerate(zip(ver.hypotheses, tests)):
        side = "A" if t.validity >= 0 else "B"
        other = "B" if side == "A" else "A"
        auc = t.auc if side == "A" else 1.0 - t.auc
        if streamed:
            ex_for = ver.examples(i, side, holds=True)[:n_examples]
            ex_against = ver.examples(i, other, holds=False)[:n_examples]
        else:
            fav_texts, fav_j = (val_a, ver.judgments_a[i]) if side == "A" else (
                val_b, ver.judgments_b[i])
            oth_texts, oth_j = (val_b, ver.judgments_b[i]) if side == "A" else (
                val_a, ver.judgments_a[i])
            ex_for = _examples(fav_texts, fav_j, n_examples, holds=True)
            ex_against = _examples(oth_texts, oth_j, n_examples, holds=False)
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
            amortized=ver.details[i] if getattr(ver, "details", None) is not None else None,
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
    client = getattr(judge, "client", None) or getattr(proposer, "client", None)
    return goal_relevance(goal, cands, getattr(judge, "encoder", None), client)


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

