"""A diverse top of the list: hypotheses whose judgments are strongly correlated state the same
finding, so each group is represented by its best hypothesis and the others are listed under it.

Two hypotheses are *the same finding* when the Pearson correlation of their judgments over the
validation texts both were judged on (A and B pooled), multiplied by -1 when they favour
different sides, is at least ``threshold`` (default 0.5): "uses ALL-CAPS words" and "mentions
a number" on spam vs ham, or "expresses positive sentiment" (A) and "expresses negative
sentiment" (B). Groups are formed greedily in rank order: a hypothesis joins the first
group leader it is the same finding as, otherwise it leads a new group. Leaders keep their
order and take ranks 1..G; the other members follow in their original order. Statistics,
q-values and the false-discovery family are unchanged: grouping only orders and labels.
Streamed verification (``--fast``, ``--engine``) keeps per-hypothesis summaries, not
judgments, so its results are not grouped (``group`` stays null).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .hypothesis import Hypothesis
from .result import HypothesisResult
from .validation import Verification

THRESHOLD = 0.5


def group_findings(rows: Sequence[HypothesisResult], ver: Verification | Any, *,
                   threshold: float = THRESHOLD) -> list[HypothesisResult]:
    """Return ``rows`` re-ranked with ``group`` and ``group_correlation`` filled in (unchanged
    when ``ver`` holds summaries instead of judgments)."""
    rows = list(rows)
    if not rows or not hasattr(ver, "judgments_a"):
        return rows
    index = {h.key: i for i, h in enumerate(ver.hypotheses)}
    idx = [index[Hypothesis(r.hypothesis, r.source, r.form).key] for r in rows]
    leaders: list[int] = []          # positions in rows
    members: dict[int, list[tuple[int, float]]] = {}
    for pos, i in enumerate(idx):
        home = None
        for lead in leaders:
            c = _correlation(ver, idx[lead], i)
            if rows[lead].direction != rows[pos].direction:
                c = -c
            if c >= threshold:
                home = (lead, c)
                break
        if home is None:
            leaders.append(pos)
            members[pos] = []
        else:
            members[home[0]].append((pos, home[1]))
    out: list[HypothesisResult] = [rows[p] for p in leaders]
    rest = sorted((p, c) for lead in leaders for p, c in members[lead])
    out += [rows[p] for p, _ in rest]
    for rank, row in enumerate(out, start=1):
        row.rank = rank
    for lead in leaders:
        rows[lead].group = rows[lead].rank
        rows[lead].group_correlation = None
        for p, c in members[lead]:
            rows[p].group = rows[lead].rank
            rows[p].group_correlation = round(float(c), 4)
    return out


def _correlation(ver: Verification, i: int, j: int) -> float:
    """Pearson correlation of two hypotheses' judgments on the texts both were judged on."""
    na = min(ver.judgments_a[i].size, ver.judgments_a[j].size)
    nb = min(ver.judgments_b[i].size, ver.judgments_b[j].size)
    x = np.concatenate([ver.judgments_a[i][:na], ver.judgments_b[i][:nb]])
    y = np.concatenate([ver.judgments_a[j][:na], ver.judgments_b[j][:nb]])
    if x.size < 3 or x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def members_of(rows: Sequence[HypothesisResult], leader: HypothesisResult
               ) -> list[HypothesisResult]:
    """The other hypotheses of ``leader``'s group, in rank order (empty for ungrouped rows)."""
    if leader.group is None or leader.group != leader.rank:
        return []
    return [r for r in rows if r.group == leader.rank and r is not leader]
