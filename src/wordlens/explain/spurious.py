"""Spurious-cue flags: hypotheses that drive the classifier but whose link to the gold label
does not hold on other labelled data (``--check-data``), or that the judge finds unrelated to
the stated task (``--task``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..stats import compare
from .result import Flag, HypothesisRow

#: a link on the check data counts as "not holding" when even its 95% upper bound (in the
#: direction seen on the explained data) is below this fraction of the explained-data link
SHRINK = 0.5
#: --task: relevance below this judged probability flags the hypothesis
RELEVANCE_THRESHOLD = 0.5


def check_data_flags(rows: Sequence[HypothesisRow], hypotheses: Sequence[Hypothesis],
                     judge: Judge, texts: Sequence[str], gold01: np.ndarray, *, target: Any,
                     check_name: str, alpha: float = 0.05) -> list[Flag]:
    """Measure each hypothesis' link to the gold label on the check set (fills
    ``row.check_link``) and flag those that drive the classifier but lose their link."""
    gold01 = np.asarray(gold01).astype(int)
    if len(rows) == 0 or gold01.sum() < 2 or (1 - gold01).sum() < 2:
        return []
    J = judge.judge(list(hypotheses), list(texts))
    flags = []
    for row, h, j in zip(rows, hypotheses, J):
        st = compare(j[gold01 == 1], j[gold01 == 0])
        row.check_link = round(st.validity, 4)
        row.check_link_ci = [round(st.ci_low, 4), round(st.ci_high, 4)]
        ref = row.gold_link if row.gold_link is not None else row.drive
        where = "gold labels" if row.gold_link is not None else "the classifier's predictions"
        if row.drive_p >= alpha or abs(row.drive) < 0.05 or np.sign(ref) != np.sign(row.drive):
            continue
        s = float(np.sign(ref))
        bound = max(s * st.ci_low, s * st.ci_high)
        if bound < SHRINK * abs(ref):
            sentence = (
                f"'{h.text}' drives predictions of {target!r} (holds for "
                f"{row.share_predicted_positive:.0%} of texts predicted {target!r} vs "
                f"{row.share_predicted_negative:.0%} of the others) and separates {where} by "
                f"{ref:+.2f} in the explained data, but separates gold labels by only "
                f"{st.validity:+.2f} (95% CI {st.ci_low:+.2f} to {st.ci_high:+.2f}) in "
                f"{check_name}: the link does not hold there, so it is likely a spurious cue.")
            numbers = {"drive": row.drive, "reference_link": ref, "reference": where,
                       "check_link": row.check_link, "check_link_ci": row.check_link_ci,
                       "n_check_positive": int(gold01.sum()),
                       "n_check_negative": int((1 - gold01).sum())}
            row.flags.append("check-data")
            flags.append(Flag(h.text, target, "check-data", sentence, numbers))
    return flags


def task_relevance(judge: Judge, hypotheses: Sequence[Hypothesis], task: str) -> np.ndarray:
    """The judge's probability that each hypothesis is relevant to the task: the judge reads
    the hypothesis' words as a text and decides whether it 'is about <task>'."""
    if not hypotheses:
        return np.zeros(0)
    probe = Hypothesis(f"is about {task.strip().rstrip('.')}", "task")
    texts = [h.text.strip().rstrip(".") for h in hypotheses]
    return judge.judge([probe], texts)[0]


def task_flags(rows: Sequence[HypothesisRow], hypotheses: Sequence[Hypothesis], judge: Judge,
               task: str, *, target: Any, alpha: float = 0.05) -> list[Flag]:
    """Flag hypotheses that drive the classifier although the judge finds them unrelated to
    ``task`` (fills ``row.task_relevance``)."""
    rel = task_relevance(judge, hypotheses, task)
    flags = []
    for row, h, r in zip(rows, hypotheses, rel):
        row.task_relevance = round(float(r), 4)
        if r < RELEVANCE_THRESHOLD and row.drive_p < alpha:
            sentence = (f"'{h.text}' drives predictions of {target!r} (drive {row.drive:+.2f}, "
                        f"p = {row.drive_p:.2g}) but the judge rates its relevance to the task "
                        f"'{task}' at only {r:.2f} (< {RELEVANCE_THRESHOLD}): a cue unrelated "
                        "to what the label should mean.")
            row.flags.append("task")
            flags.append(Flag(h.text, target, "task", sentence,
                              {"drive": row.drive, "drive_p": row.drive_p,
                               "task_relevance": round(float(r), 4),
                               "threshold": RELEVANCE_THRESHOLD}))
    return flags
