"""Re-check the final top hypotheses of a diff with a (more expensive) teacher judge."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .corpus import as_corpus
from .hypothesis import Hypothesis
from .judges.base import Judge
from .result import DiffResult
from .split import Split


@dataclass
class Confirmation:
    """Per re-checked hypothesis: the run's conclusion and the teacher's."""

    hypothesis: str
    direction: str
    significant: bool
    teacher_direction: str
    teacher_validity: float
    teacher_p_value: float
    teacher_significant: bool
    agrees: bool

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def confirm(result: DiffResult, a: Any, b: Any, teacher: Judge, *, top: int = 5,
            text_field: str | None = None, encoding: str = "utf-8",
            split: Split | None = None) -> dict[str, Any]:
    """Judge the ``top`` hypotheses of ``result`` again with ``teacher`` on the same
    validation texts and say whether the conclusions agree.

    The texts are ``split`` (or ``result.split_``, the run's own :class:`~wordlens.Split`);
    for a result loaded from JSON they are drawn again from ``a`` and ``b`` with the run's
    seed and settings.

    A conclusion agrees when both call it significant in the same direction, or both do not.
    The teacher's q-value is Benjamini-Hochberg over the same family as the run: the
    teacher's p-values for the re-checked hypotheses, the run's p-values for the others.
    Costs ``top`` x (validation texts) teacher judgments.
    """
    from .diff import MIN_TEXTS, diff_split

    rows = result.hypotheses[:top]
    if not rows:
        return {"teacher": teacher.describe(), "n": 0, "agree": 0, "rows": []}
    hyps = [Hypothesis(r.hypothesis, r.source, r.form) for r in rows]
    spent = teacher.meter()
    split = split if split is not None else result.split_
    if split is None:
        ca = as_corpus(a, "A", text_field=text_field, encoding=encoding)
        cb = as_corpus(b, "B", text_field=text_field, encoding=encoding)
        split = Split.draw(ca.texts, cb.texts, seed=result.seed,
                           proposal_fraction=result.settings.get("proposal_fraction", 0.5),
                           max_texts=result.settings.get("max_texts"), min_texts=MIN_TEXTS)
    check = diff_split(split, judge=teacher, hypotheses=hyps, adaptive=False,
                       alpha=result.alpha, top_k=len(hyps), verify="exhaustive")
    from .stats import benjamini_hochberg

    by_text = {r.hypothesis: r for r in check.hypotheses}
    family = [by_text[r.hypothesis].p_value for r in rows] + [
        r.p_value for r in result.hypotheses[top:]]
    q = benjamini_hochberg(family)
    out = []
    for i, r in enumerate(rows):
        t = by_text[r.hypothesis]
        t_sig = bool(q[i] < result.alpha)
        agrees = (t_sig == r.significant) and (not r.significant or t.direction == r.direction)
        out.append(Confirmation(r.hypothesis, r.direction, r.significant, t.direction,
                                t.validity, t.p_value, t_sig, agrees))
    n_agree = sum(c.agrees for c in out)
    return {"teacher": teacher.describe(), "n": len(out), "agree": n_agree,
            "all_agree": n_agree == len(out),
            "teacher_judgments": spent.judgments,
            "significance": "teacher q (BH over the run's family) < alpha",
            "rows": [c.to_dict() for c in out]}


def format_confirmation(c: dict[str, Any]) -> str:
    lines = [f"confirmation by {c['teacher'].get('name')}: {c['agree']} of {c['n']} top "
             f"conclusions agree ({c.get('teacher_judgments', 0)} teacher judgments)"]
    for r in c["rows"]:
        mark = "agree   " if r["agrees"] else "DIFFER  "
        lines.append(f"  {mark}{r['direction']}{'*' if r['significant'] else ' '} -> teacher "
                     f"{r['teacher_direction']}{'*' if r['teacher_significant'] else ' '} "
                     f"{r['teacher_validity']:+.3f}  {r['hypothesis']}")
    return "\n".join(lines)
