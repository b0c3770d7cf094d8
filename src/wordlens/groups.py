"""Many groups at once: each group against the rest (or against a reference group), one
proposal/validation split, one false-discovery family over every (group, hypothesis) test."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .corpus import load_corpus
from .errors import InputError
from .groups_result import GroupSection, GroupsResult
from .hypothesis import Hypothesis, as_hypotheses
from .judges.base import Judge
from .proposers.base import Proposer
from .result import HypothesisResult
from .split import sample_indices, split_halves
from .stats import TwoSampleStats, benjamini_hochberg, compare
from .textutil import truncate
from .version import __version__

__all__ = ["GroupSplit", "diff_groups", "load_groups"]

MIN_TEXTS = 10


@dataclass(frozen=True)
class GroupSplit:
    """Proposal and validation texts of every group, drawn once from one seeded generator."""

    groups: list[str]
    proposal: dict[str, list[str]]
    validation: dict[str, list[str]]
    n_texts: dict[str, int]
    seed: int

    @classmethod
    def draw(cls, by_group: Mapping[str, Sequence[str]], *, seed: int = 0,
             proposal_fraction: float = 0.5, max_texts: int | None = None) -> GroupSplit:
        if not 0 < proposal_fraction < 1:
            raise InputError(f"proposal_fraction must be between 0 and 1, got "
                             f"{proposal_fraction}")
        groups = sorted(by_group)
        if len(groups) < 2:
            raise InputError(f"--by: only one group ({groups[0]!r} if groups else none); "
                             "a comparison needs at least two")
        rng = np.random.default_rng(seed)
        prop, val, n = {}, {}, {}
        for g in groups:
            texts = list(by_group[g])
            texts = [texts[i] for i in sample_indices(len(texts), max_texts, rng)]
            if len(texts) < MIN_TEXTS:
                raise InputError(f"group {g!r}: {len(texts)} texts; wordlens needs at least "
                                 f"{MIN_TEXTS} per group (part to propose, part to verify)")
            p, v = split_halves(len(texts), proposal_fraction, rng)
            prop[g], val[g], n[g] = [texts[i] for i in p], [texts[i] for i in v], len(texts)
        return cls(groups, prop, val, n, seed)


def load_groups(path: Any, by: str, *, text_field: str | None = None,
                encoding: str = "utf-8") -> tuple[dict[str, list[str]], str]:
    """Texts of one file grouped by the value of field ``by`` (and the file's source)."""
    c = load_corpus(path, text_field=text_field, encoding=encoding, extra_fields=(by,))
    out: dict[str, list[str]] = {}
    for t, g in zip(c.texts, c.extra[by]):
        if g is None or (isinstance(g, float) and g != g) or str(g).strip() == "":
            raise InputError(f"{c.source}: a row has no value in field {by!r}")
        out.setdefault(str(g), []).append(t)
    return out, c.source


def diff_groups(by_group: Mapping[str, Sequence[str]], *, reference: str | None = None,
                proposer: Proposer | None = None, judge: Judge | None = None,
                hypotheses: Sequence[str | Hypothesis] | None = None, goal: str | None = None,
                seed: int = 0, proposal_fraction: float = 0.5, max_texts: int | None = None,
                per_group: int = 15, alpha: float = 0.05, n_examples: int = 2,
                field: str = "group", source: str = "python") -> GroupsResult:
    """Compare K groups of texts: each group against the others together (or against
    ``reference``). Hypotheses are proposed per group on the proposal texts (at most
    ``per_group`` each), pooled, judged once on every validation text, and tested in every
    group; Benjamini-Hochberg runs over all (group, hypothesis) tests together."""
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    t0 = time.perf_counter()
    split = GroupSplit.draw(by_group, seed=seed, proposal_fraction=proposal_fraction,
                            max_texts=max_texts)
    if reference is not None and reference not in split.groups:
        raise InputError(f"--reference {reference!r}: no such group; groups: "
                         f"{', '.join(split.groups)}")
    targets = [g for g in split.groups if g != reference]
    from .judges.offline import OfflineJudge

    judge = judge or OfflineJudge()
    cands, proposer_info = _propose_all(split, targets, reference, proposer, hypotheses,
                                        goal, per_group)
    t1 = time.perf_counter()
    texts = [t for g in split.groups for t in split.validation[g]]
    owner = np.array([g for g in split.groups for _ in split.validation[g]])
    j = judge.judge(cands, texts) if cands else np.zeros((0, len(texts)))
    t2 = time.perf_counter()
    tests = [[_test(j[h], owner, g, reference) for g in targets] for h in range(len(cands))]
    flat_q = benjamini_hochberg([t.p_value for row in tests for t in row])
    q = flat_q.reshape(len(cands), len(targets)) if cands else np.zeros((0, len(targets)))
    sections = [_section(g, k, cands, tests, q, j, owner, split, reference, alpha, n_examples,
                         texts) for k, g in enumerate(targets)]
    return GroupsResult(
        field=field, source=source, groups=split.groups, reference=reference,
        hypotheses=[h.text for h in cands],
        validity=[[t.validity for t in row] for row in tests],
        q_value=[[float(x) for x in row] for row in q],
        significant=[[bool(x < alpha) for x in row] for row in q],
        sections=sections, alpha=alpha, seed=seed,
        settings={"proposal_fraction": proposal_fraction, "max_texts": max_texts,
                  "per_group": per_group, "compared_with": reference or "the other groups",
                  "fdr": "benjamini-hochberg over all (group, hypothesis) tests",
                  "confidence": 0.95, "n_tests": int(len(cands) * len(targets))},
        proposer=proposer_info, judge=judge.describe(),
        verification={"method": "exhaustive", "hypotheses": len(cands),
                      "validation_texts": len(texts), "judgments_made": int(j.size)},
        timing={"propose_s": round(t1 - t0, 3), "verify_s": round(t2 - t1, 3),
                "total_s": round(time.perf_counter() - t0, 3)},
        notes=_notes(judge, reference),
        wordlens_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))


def _propose_all(split: GroupSplit, targets: list[str], reference: str | None,
                 proposer: Proposer | None, hypotheses: Any, goal: str | None,
                 per_group: int) -> tuple[list[Hypothesis], dict[str, Any]]:
    if hypotheses is not None:
        return as_hypotheses(hypotheses), {"name": "given by the user", "class": None}
    if proposer is None:
        from .proposers.offline import OfflineProposer

        proposer = OfflineProposer()
    pooled: list[Hypothesis] = []
    for g in targets:
        other = (split.proposal[reference] if reference is not None else
                 [t for o in split.groups if o != g for t in split.proposal[o]])
        pooled += as_hypotheses(proposer.propose(split.proposal[g], other, goal,
                                                 seed=split.seed))[:per_group]
    return as_hypotheses(pooled), proposer.describe() | {"per_group": per_group}


def _test(j: np.ndarray, owner: np.ndarray, g: str, reference: str | None) -> TwoSampleStats:
    other = owner == reference if reference is not None else owner != g
    return compare(j[owner == g], j[other])


def _section(g: str, k: int, cands: list[Hypothesis], tests: list[list[TwoSampleStats]],
             q: np.ndarray, j: np.ndarray, owner: np.ndarray, split: GroupSplit,
             reference: str | None, alpha: float, n_examples: int,
             texts: list[str]) -> GroupSection:
    against = reference if reference is not None else "the rest"
    mine = np.flatnonzero(owner == g)
    other = np.flatnonzero(owner == reference if reference is not None else owner != g)
    rows = []
    for h, hyp in enumerate(cands):
        t = tests[h][k]
        side = "A" if t.validity >= 0 else "B"
        fav, oth = (mine, other) if side == "A" else (other, mine)
        rows.append(HypothesisResult(
            rank=0, hypothesis=hyp.text, direction=side,
            statement=(f"compared to {against}, texts in {g} more often {hyp.text}"
                       if side == "A" else
                       f"compared to {g}, texts in {against} more often {hyp.text}"),
            source=hyp.source, share_a=t.share_a, share_b=t.share_b, validity=t.validity,
            ci_low=t.ci_low, ci_high=t.ci_high, p_value=t.p_value, q_value=float(q[h, k]),
            auc=t.auc if side == "A" else 1.0 - t.auc, significant=bool(q[h, k] < alpha),
            n_a=t.n_a, n_b=t.n_b, test=t.test,
            form=dict(hyp.form) if hyp.form is not None else None,
            examples_for=_examples(texts, j[h], fav, n_examples, True),
            examples_against=_examples(texts, j[h], oth, n_examples, False)))
    rows.sort(key=lambda r: (not r.significant, -abs(r.validity)))
    for r, row in enumerate(rows, start=1):
        row.rank = r
    return GroupSection(g, against, split.n_texts[g], len(mine), len(other), rows)


def _examples(texts: list[str], j: np.ndarray, idx: np.ndarray, k: int, holds: bool
              ) -> list[str]:
    order = idx[np.argsort(-j[idx] if holds else j[idx], kind="stable")]
    return [truncate(texts[i]) for i in order if (j[i] >= 0.5) == holds][:k]


def _notes(judge: Judge, reference: str | None) -> list[str]:
    notes = []
    caveat = judge.caveat()
    if caveat:
        notes.append(caveat)
    if reference is None:
        notes.append("Each group is compared with the other groups pooled: a share in 'the "
                     "rest' mixes groups in proportion to their validation texts.")
    return notes
