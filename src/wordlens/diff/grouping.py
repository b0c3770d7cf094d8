"""A diverse top of the list: hypotheses whose judgments are strongly correlated state the same
finding, so each group is represented by its best hypothesis and the others are listed under it.

Two hypotheses are *the same finding* when the Pearson correlation of their judgments over the
validation texts both were judged on (A and B pooled), multiplied by -1 when they favour
different sides, is at least ``threshold`` (default 0.5): "uses ALL-CAPS words" and "mentions
a number" on spam vs ham, or "expresses positive sentiment" (A) and "expresses negative
sentiment" (B). Two exact properties of one family where one implies the other by definition
(:func:`implies`: "is strongly positive" implies "expresses positive sentiment"; "is long (more
than 300 words)" implies "is long (more than 40 words)") favouring the same side are the same
finding at two strengths, whatever their correlation. Groups are formed greedily in rank
order: a hypothesis joins the first group leader it is the same finding as, otherwise it leads
a new group. A group is then led by its most general true statement: when the leader is a
surface trace ("uses ALL-CAPS words") and a member states what the texts are ("is an
advertisement"), or the member is implied by the leader (the broader statement of the same
family), both significant, the member's |validity| at least half the leader's (and on the same
side of a goal's divider), the best-ranked such member leads instead (:func:`generality`);
``group_correlation`` is then measured against the new leader. Leaders keep their
order and take ranks 1..G; the other members follow in their original order. Statistics,
q-values and the false-discovery family are unchanged: grouping only orders and labels.
The correlations come from the verification's evidence (:mod:`wordlens.validation.evidence`):
from the judgments in memory, or from mergeable sums when verification streamed (``--fast``,
``--engine``), so every path groups alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..hypothesis import Hypothesis
from ..result import HypothesisResult
from ..validation import Verification

THRESHOLD = 0.5
#: a more general member leads a group only when its |validity| is at least this share of the
#: statistical leader's: it states at least half of the difference
COVER = 0.5
#: exact properties that state meaning rather than a surface trace (see :func:`generality`)
SEMANTIC_PROPERTIES = frozenset({"positive", "negative", "strong_positive", "strong_negative",
                                 "neutral"})


def group_findings(rows: Sequence[HypothesisResult], ver: Verification, *,
                   threshold: float = THRESHOLD) -> list[HypothesisResult]:
    """Return ``rows`` re-ranked with ``group`` and ``group_correlation`` filled in."""
    rows = list(rows)
    if not rows:
        return rows
    index = {h.key: i for i, h in enumerate(ver.hypotheses)}
    idx = [index[Hypothesis(r.hypothesis, r.source, r.form).key] for r in rows]
    leaders: list[int] = []          # positions in rows
    members: dict[int, list[tuple[int, float]]] = {}
    for pos, i in enumerate(idx):
        home = None
        for lead in leaders:
            c = ver.correlation(idx[lead], i)
            if rows[lead].direction != rows[pos].direction:
                c = -c
            if c >= threshold or _nested(rows[lead], rows[pos]):
                home = (lead, c)
                break
        if home is None:
            leaders.append(pos)
            members[pos] = []
        else:
            members[home[0]].append((pos, home[1]))
    for k, lead in enumerate(list(leaders)):
        new = _more_general_leader(rows, lead, [p for p, _ in members[lead]])
        if new is not None:
            leaders[k] = new
            group = [lead] + [p for p, _ in members.pop(lead)]
            members[new] = [(p, _signed(ver, rows, idx, new, p)) for p in group if p != new]
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


def generality(row: HypothesisResult) -> int:
    """2 for a statement of what a text is, says or means (a free-text hypothesis such as an
    inventory genre or topic, a stance, a language, sentiment, what a question asks for), 1
    for a surface trace (another exact property: ALL-CAPS, a number, length, ...; a keyword
    list)."""
    form = row.form or {}
    kind = form.get("kind")
    if kind in (None, "stance", "argues"):
        return 2
    if kind == "property":
        name = str(form.get("name", ""))
        if "language" in form or name.startswith("asks_") or name in SEMANTIC_PROPERTIES:
            return 2
    return 1


#: exact properties implied by another of the same family (name -> the broader one)
IMPLIED_BY_NAME = {"strong_positive": "positive", "strong_negative": "negative"}


def implies(form: dict | None, other: dict | None) -> bool:
    """Does the exact property of ``form`` imply the different one of ``other`` by
    definition? "is strongly positive" implies "expresses positive sentiment"; "is long (more
    than 300 words)" implies "is long (more than 40 words)"; "is short (fewer than 8 words)"
    implies "is short (fewer than 20 words)"."""
    form, other = form or {}, other or {}
    if form.get("kind") != "property" or other.get("kind") != "property" or form == other:
        return False
    for key, longer in (("min_words", True), ("max_words", False)):
        if key in form and key in other:
            x, y = int(form[key]), int(other[key])
            return x > y if longer else x < y
    return IMPLIED_BY_NAME.get(str(form.get("name"))) == other.get("name")


def _nested(x: HypothesisResult, y: HypothesisResult) -> bool:
    """The same finding at two strengths: same side, one implies the other by definition."""
    return x.direction == y.direction and (implies(x.form, y.form) or implies(y.form, x.form))


def _more_general_leader(rows: Sequence[HypothesisResult], lead: int, group: list[int]
                         ) -> int | None:
    """The best-ranked significant member more general than a significant leader (a higher
    :func:`generality`, or implied by it), stating at least ``COVER`` of its |validity| (and
    on the same side of a goal's divider), else None."""
    if not rows[lead].significant:
        return None
    tier = _goal_tier(rows[lead])
    for p in sorted(group):
        broader = (generality(rows[p]) > generality(rows[lead])
                   or implies(rows[lead].form, rows[p].form))
        if (rows[p].significant and broader
                and abs(rows[p].validity) >= COVER * abs(rows[lead].validity)
                and _goal_tier(rows[p]) == tier):
            return p
    return None


def _goal_tier(row: HypothesisResult) -> bool:
    return bool(row.answers_goal and row.significant)


def _signed(ver: Verification, rows: Sequence[HypothesisResult], idx: list[int], a: int,
            b: int) -> float:
    c = ver.correlation(idx[a], idx[b])
    return -c if rows[a].direction != rows[b].direction else c


def members_of(rows: Sequence[HypothesisResult], leader: HypothesisResult
               ) -> list[HypothesisResult]:
    """The other hypotheses of ``leader``'s group, in rank order (empty for ungrouped rows)."""
    if leader.group is None or leader.group != leader.rank:
        return []
    return [r for r in rows if r.group == leader.rank and r is not leader]
