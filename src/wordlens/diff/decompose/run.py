"""Decompose a diff: composition of groups, differences within groups, recombination.

Only the judge and proposer interfaces are used, and every sub-comparison runs through the
same pipeline as the top-level diff (:func:`wordlens.diff.pipeline.diff_split`, with the
run's verification settings), so any judge, proposer or verification scheme it supports
works here too.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...corpus import Corpus
from ...decomposition import Decomposition, GroupRow, GroupValidity, RecombinedRow, WithinRow
from ...errors import BudgetExceeded, InputError
from ...hypothesis import Hypothesis
from ...judges.base import Judge
from ...proposers.base import Proposer
from ...result import DiffResult, HypothesisResult
from ...split import Split
from ...stats import benjamini_hochberg, compare
from ...textutil import truncate
from ..config import DiffConfig
from ..pipeline import diff_split
from .groups import DecomposeSpec, Partition, cluster_partition, field_partition
from .stratified import flags_for, stratified_difference

#: a group is diffed inside when it has at least this many validation texts of A and of B
MIN_GROUP_TEXTS = 20
#: ... and at least this many proposal texts of each (for the proposer)
MIN_GROUP_PROPOSAL = 5
#: group descriptions are found on at most this many texts per side (seeded sample)
DESCRIBE_MAX_TEXTS = 400
#: the top-ranked hypotheses of the top-level diff that are recombined
RECOMBINE_TOP = 20


def decompose_split(result: DiffResult, split: Split, spec: str | int | DecomposeSpec,
                    config: DiffConfig | None = None, *,
                    corpora: tuple[Corpus, Corpus] | None = None,
                    min_group_texts: int = MIN_GROUP_TEXTS, recombine_top: int = RECOMBINE_TOP,
                    encoder=None, log=None) -> Decomposition:
    """The decomposition of a finished top-level ``result`` on the texts of ``split``, with
    the run's settings (``config``). Its ``hypotheses`` (when the user gave them) are tested
    inside each group instead of proposing; group descriptions always propose (its
    ``proposer`` or the offline default)."""
    cfg = config or DiffConfig()
    judge, proposer, alpha = cfg.judge_or_default(), cfg.proposer, cfg.alpha
    n_examples, hypotheses, goal = cfg.n_examples, cfg.hypotheses, cfg.goal
    base = cfg.verification_only()  # how every sub-comparison verifies
    say = log or (lambda m: None)
    spec = DecomposeSpec.parse(spec)
    t0 = time.perf_counter()
    part = _partition(split, spec, corpora, encoder)
    t_part = time.perf_counter() - t0
    say(f"decompose: {part.n_groups} groups ({part.method['kind']}, K = {part.n_groups})")
    common = dict(judge=judge, top_k=cfg.top_k, adaptive=cfg.adaptive, alpha=alpha,
                  n_examples=n_examples)
    counts = {"judgments_made": 0, "runs": 0}
    try:
        t1 = time.perf_counter()
        descs = _describe(split, part, base, proposer, common, counts)
        t2 = time.perf_counter()
        within, statuses, subs = _within(split, part, base, proposer, hypotheses, goal, common,
                                         counts, min_group_texts)
        t3 = time.perf_counter()
        recombined, n_rejudged = _recombine(result, split, part, judge, alpha, recombine_top)
    except BudgetExceeded as exc:
        result.notes.append(f"Decomposition not finished: {exc}")
        raise BudgetExceeded(f"decomposition stopped: {exc}", partial_result=result) from None
    counts["judgments_made"] += n_rejudged
    groups, within_rows = _composition(split, part, descs, statuses, within, alpha,
                                       n_examples)
    t4 = time.perf_counter()
    dec = Decomposition(
        method=part.method, groups=groups, within=within_rows, recombined=recombined,
        settings={"spec": str(spec), "alpha": alpha, "min_group_texts": min_group_texts,
                  "min_group_proposal_texts": MIN_GROUP_PROPOSAL,
                  "describe_max_texts": DESCRIBE_MAX_TEXTS, "recombine_top": recombine_top,
                  "weights": "Mantel-Haenszel (n_a*n_b/(n_a+n_b))", "confidence": 0.95,
                  "fdr": "benjamini-hochberg"},
        verification={"sub_diffs": counts["runs"], "judgments_made": counts["judgments_made"],
                      "rejudged_for_recombination": n_rejudged},
        timing={"partition_s": round(t_part, 3), "describe_s": round(t2 - t1, 3),
                "within_s": round(t3 - t2, 3), "recombine_s": round(t4 - t3, 3),
                "total_s": round(t4 - t0, 3)},
        notes=_notes(part, statuses, min_group_texts),
    )
    dec.group_splits_ = subs  # texts of each within-group diff
    return dec


# -- partition -------------------------------------------------------------------------------
def check_partition(split: Split, spec: str | int | DecomposeSpec,
                    corpora: tuple[Corpus, Corpus] | None) -> None:
    """Fail before any work when ``spec`` cannot partition these texts: a field the rows lack
    or one with a single value (clusters need the embeddings, so ``auto`` / K are checked
    when they are made)."""
    spec = DecomposeSpec.parse(spec)
    if spec.mode == "field":
        _partition(split, spec, corpora, None)


def _partition(split: Split, spec: DecomposeSpec, corpora: tuple[Corpus, Corpus] | None,
               encoder) -> Partition:
    if spec.mode != "field":
        return cluster_partition(split.proposal_a, split.proposal_b, split.validation_a,
                                 split.validation_b, spec, encoder=encoder, seed=split.seed)
    name = spec.field
    assert name is not None
    if corpora is None or any(name not in c.extra for c in corpora):
        raise InputError(f"--decompose field:{name}: needs corpora read from JSONL, CSV, TSV "
                         f"or Parquet files (or DataFrames) whose rows have the field {name!r}")
    ca, cb = corpora
    return field_partition(ca.texts, ca.extra[name], cb.texts, cb.extra[name],
                           split.proposal_a, split.proposal_b, split.validation_a,
                           split.validation_b, name)


def _pick(texts: Sequence[str], labels: np.ndarray, g: int) -> list[str]:
    return [t for t, x in zip(texts, labels) if x == g]


def _sub_split(pa: list[str], pb: list[str], va: list[str], vb: list[str], seed: int,
               proposal_fraction: float) -> Split:
    return Split(a=pa + va, b=pb + vb, proposal_a=pa, proposal_b=pb, validation_a=va,
                 validation_b=vb, seed=seed, proposal_fraction=proposal_fraction,
                 max_texts=None)


def _run(base: DiffConfig, sub: Split, counts: dict[str, int], **kw: Any) -> DiffResult:
    """One sub-comparison through the pipeline, counted."""
    res = diff_split(sub, base, **kw)
    counts["runs"] += 1
    counts["judgments_made"] += int(res.verification.get("judgments_made", 0))
    return res


# -- descriptions ----------------------------------------------------------------------------
def _describe(split: Split, part: Partition, base: DiffConfig, proposer: Proposer | None,
              common: dict[str, Any], counts: dict[str, int]
              ) -> list[tuple[str, float, float] | None]:
    """Each group's best hypothesis against the rest. With two groups one run describes both
    (group 2 against the rest is group 1's comparison mirrored)."""
    rng = np.random.default_rng(split.seed + 7919)
    pooled_p = list(split.proposal_a) + list(split.proposal_b)
    pooled_v = list(split.validation_a) + list(split.validation_b)
    lab_p = np.concatenate([part.proposal_a, part.proposal_b])
    lab_v = np.concatenate([part.validation_a, part.validation_b])
    out: list[tuple[str, float, float] | None] = [None] * part.n_groups
    todo = [0] if part.n_groups == 2 else list(range(part.n_groups))
    kw = {**common, "top_k": 3}
    for g in todo:
        ins = [_cap(_pick(x, lab, g), rng) for x, lab in ((pooled_p, lab_p), (pooled_v, lab_v))]
        rest = [_cap([t for t, y in zip(x, lab) if y != g], rng)
                for x, lab in ((pooled_p, lab_p), (pooled_v, lab_v))]
        if min(len(ins[0]), len(rest[0])) < 2 or min(len(ins[1]), len(rest[1])) < 2:
            continue
        res = _run(base, _sub_split(ins[0], rest[0], ins[1], rest[1], split.seed,
                                   split.proposal_fraction), counts, proposer=proposer, **kw)
        out[g] = _best(res, "A")
        if part.n_groups == 2:
            out[1] = _best(res, "B")
    return out


def _cap(texts: list[str], rng: np.random.Generator) -> list[str]:
    if len(texts) > DESCRIBE_MAX_TEXTS:
        idx = np.sort(rng.choice(len(texts), DESCRIBE_MAX_TEXTS, replace=False))
        texts = [texts[i] for i in idx]
    return [texts[i] for i in rng.permutation(len(texts))]  # A and B mixed for adaptive slices


def _best(res: DiffResult, side: str) -> tuple[str, float, float] | None:
    """The row of ``side`` whose confidence bound nearest zero is furthest from it (then the
    largest |validity|): the diff's own ranking, before grouping correlated findings."""
    rows = [h for h in res.hypotheses if h.direction == side]
    if not rows:
        return None
    h = max(rows, key=lambda r: (0.0 if r.ci_low <= 0 <= r.ci_high
                                 else min(abs(r.ci_low), abs(r.ci_high)), abs(r.validity)))
    return h.hypothesis, abs(h.validity), h.q_value


# -- within groups ---------------------------------------------------------------------------
def _within(split: Split, part: Partition, base: DiffConfig, proposer: Proposer | None,
            hypotheses, goal, common, counts, min_texts: int
            ) -> tuple[dict[int, DiffResult], list[str], dict[int, Split]]:
    results: dict[int, DiffResult] = {}
    subs: dict[int, Split] = {}
    statuses = []
    for g in range(part.n_groups):
        va, vb = _pick(split.validation_a, part.validation_a, g), _pick(split.validation_b,
                                                                        part.validation_b, g)
        pa, pb = _pick(split.proposal_a, part.proposal_a, g), _pick(split.proposal_b,
                                                                    part.proposal_b, g)
        if min(len(va), len(vb)) < min_texts or min(len(pa), len(pb)) < MIN_GROUP_PROPOSAL:
            statuses.append(f"not diffed: {len(va)} A + {len(vb)} B validation texts, "
                            f"{len(pa)} A + {len(pb)} B proposal texts (needs {min_texts} "
                            f"and {MIN_GROUP_PROPOSAL} of each)")
            continue
        sub = _sub_split(pa, pb, va, vb, split.seed, split.proposal_fraction)
        results[g] = _run(base, sub, counts, proposer=proposer, hypotheses=hypotheses,
                          goal=goal, **common)
        subs[g] = sub
        statuses.append("diffed")
    return results, statuses, subs


# -- composition and the findings family -----------------------------------------------------
def _composition(split: Split, part: Partition, descs, statuses: list[str],
                 within: dict[int, DiffResult], alpha: float, n_examples: int
                 ) -> tuple[list[GroupRow], list[WithinRow]]:
    va, vb = part.validation_a, part.validation_b
    tests = [compare((va == g).astype(float), (vb == g).astype(float))
             for g in range(part.n_groups)]
    inner = [(g, h) for g, res in sorted(within.items()) for h in res.hypotheses]
    q = benjamini_hochberg([t.p_value for t in tests] + [h.p_value for _, h in inner])
    pooled = list(split.validation_a) + list(split.validation_b)
    lab = np.concatenate([va, vb])
    groups = []
    for g, t in enumerate(tests):
        d = descs[g]
        groups.append(GroupRow(
            id=g, name=part.names[g], description=d[0] if d else None,
            description_validity=round(d[1], 4) if d else None,
            description_q=float(d[2]) if d else None,
            n_a=int((va == g).sum()), n_b=int((vb == g).sum()),
            n_proposal_a=int((part.proposal_a == g).sum()),
            n_proposal_b=int((part.proposal_b == g).sum()),
            share_a=t.share_a, share_b=t.share_b, difference=t.validity, ci_low=t.ci_low,
            ci_high=t.ci_high, p_value=t.p_value, q_value=float(q[g]),
            significant=bool(q[g] < alpha), within=statuses[g],
            examples=[truncate(x) for x in _pick(pooled, lab, g)[:n_examples]]))
    rows = [_within_row(g, h, float(qq), alpha)
            for (g, h), qq in zip(inner, q[len(tests):])]
    rows.sort(key=lambda r: (r.q_value, -abs(r.validity)))
    return groups, rows


def _within_row(g: int, h: HypothesisResult, q: float, alpha: float) -> WithinRow:
    return WithinRow(group=g, rank=h.rank, hypothesis=h.hypothesis, direction=h.direction,
                     statement=h.statement, source=h.source, share_a=h.share_a,
                     share_b=h.share_b, validity=h.validity, ci_low=h.ci_low,
                     ci_high=h.ci_high, p_value=h.p_value, q_value=q,
                     significant=bool(q < alpha), n_a=h.n_a, n_b=h.n_b, test=h.test,
                     form=h.form, examples_for=list(h.examples_for),
                     examples_against=list(h.examples_against))


# -- recombination ---------------------------------------------------------------------------
def _recombine(result: DiffResult, split: Split, part: Partition, judge: Judge, alpha: float,
               top: int) -> tuple[list[RecombinedRow], int]:
    rows = result.hypotheses[:top]
    if not rows:
        return [], 0
    hyps = [Hypothesis(h.hypothesis, h.source, h.form) for h in rows]
    ja = np.asarray(judge.judge(hyps, split.validation_a), dtype=float)
    jb = np.asarray(judge.judge(hyps, split.validation_b), dtype=float)
    ests = [stratified_difference(ja[i], jb[i], part.validation_a, part.validation_b)
            for i in range(len(rows))]
    # one family: every adjusted test and every per-group test of the recombined hypotheses
    ps: list[float] = []
    for e in ests:
        ps.append(e.p_value)
        ps += [ge.p_value for ge in e.groups if ge.weight > 0]
    finite = np.array([p == p for p in ps])
    q_all = np.full(len(ps), np.nan)
    q_all[finite] = benjamini_hochberg(np.asarray(ps)[finite])
    out, k = [], 0
    for h, e in zip(rows, ests):
        adj_q = _num(q_all[k])
        k += 1
        per_group, grows = [], []
        for ge in e.groups:
            gq = None
            if ge.weight > 0:
                gq = _num(q_all[k])
                k += 1
                grows.append((ge.validity, ge.ci_low, ge.ci_high, gq))
            per_group.append(GroupValidity(ge.group, ge.n_a, ge.n_b, _num(ge.validity),
                                           _num(ge.ci_low), _num(ge.ci_high),
                                           _num(ge.p_value), gq))
        flags = [] if adj_q is None else flags_for(
            e.raw, h.q_value, e.adjusted, adj_q, e.heterogeneity_p, grows, alpha)
        out.append(RecombinedRow(
            rank=h.rank, hypothesis=h.hypothesis, raw_validity=round(e.raw, 6),
            raw_q=h.q_value, adjusted_validity=_num(e.adjusted),
            adjusted_ci_low=_num(e.ci_low), adjusted_ci_high=_num(e.ci_high),
            adjusted_p=_num(e.p_value), adjusted_q=adj_q,
            heterogeneity_p=_num(e.heterogeneity_p), n_used=e.n_used, flags=flags,
            per_group=per_group, source=h.source, form=h.form))
    return out, int(ja.size + jb.size)


def _num(x: float | None) -> float | None:
    return None if x is None or x != x else float(x)


def _notes(part: Partition, statuses: list[str], min_texts: int) -> list[str]:
    notes = []
    skipped = [part.names[g] for g, s in enumerate(statuses) if s != "diffed"]
    if skipped:
        notes.append(f"Not diffed inside (fewer than {min_texts} validation texts of A or B, "
                     f"or {MIN_GROUP_PROPOSAL} proposal texts): {', '.join(skipped)}.")
    if part.method.get("merged"):
        notes.append(str(part.method["merged"]))
    notes.append("Recombination re-judges the top-level hypotheses on every validation text; "
                 "its raw validity can differ slightly from the table's for hypotheses that "
                 "adaptive verification stopped early.")
    return notes
