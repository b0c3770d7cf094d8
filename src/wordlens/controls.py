"""Judge controls: hypotheses whose validity should be zero, judged by the run's own judge.

A judge that leans towards "yes" on one corpus whatever it is asked (a small LLM, a prompt
that primes one answer) makes every hypothesis look like a difference. The controls measure
that lean on the run's validation texts:

- two **placebos**, statements that hold for every text (``is made of words``) or for no
  text (``is a blank page with no words at all``): their true validity is 0;
- a **role swap** of the top finding h: the judge is also asked "it is not true that the
  text h", and per text ``(P(h) + P(not h)) / 2`` is compared between A and B. For a judge
  that reads the hypothesis this is 0.5 on every text; swapping A's and B's roles cannot
  change it, so its validity is 0 too. A judge that adds d to P(yes) on B texts whatever it
  is asked gives about -d.

Each control's validity, 95 % CI and p-value come from :func:`wordlens.stats.compare`, as
for findings. A control is *biased* when p < alpha (each control on its own, no multiplicity
correction: a warning should err on the side of warning). Controls are not findings: they
are kept out of the Benjamini-Hochberg family of the ranked hypotheses, whose q-values do
not change. The *bias bound* is the largest |CI end| of a biased control; a significant
finding with |validity| <= bias bound is flagged ``possibly judge bias``: an effect that
size is within what the judge produced for statements that cannot differ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .errors import BudgetExceeded
from .hypothesis import Hypothesis
from .judges.base import Judge
from .mergeable import ValueHistogram
from .stats import SampleMoments, compare, compare_moments

PLACEBOS = (("is made of words", "placebo_every_text"),
            ("is a blank page with no words at all", "placebo_no_text"))
FLAG = "possibly judge bias"
RULE = ("a significant finding is flagged 'possibly judge bias' when a control came out "
        "biased (p < alpha) and the finding's |validity| is at most the bias bound: the "
        "largest |end of the 95% CI| of a biased control")


def negation(hypothesis: str) -> str:
    """The role-swapped statement: true exactly when ``hypothesis`` is false."""
    return f"it is not true that the text {hypothesis}"


@dataclass(frozen=True)
class Control:
    """One control hypothesis and its statistics (validity should be 0)."""

    hypothesis: str
    kind: str
    of: str | None
    share_a: float
    share_b: float
    validity: float
    ci_low: float
    ci_high: float
    p_value: float
    biased: bool
    n_a: int
    n_b: int
    mean_p_yes: float


@dataclass(frozen=True)
class JudgeControls:
    """What the controls say about the judge; ``to_dict`` is the result's ``judge_controls``."""

    controls: list[Control]
    p_yes: dict[str, float]
    bias_bound: float | None
    flagged: list[str] = field(default_factory=list)
    judgments: int = 0
    alpha: float = 0.05
    rule: str = RULE

    @property
    def biased(self) -> list[Control]:
        return [c for c in self.controls if c.biased]

    def notes(self) -> list[str]:
        """Plain-language lines for the result's notes."""
        if not self.controls:
            return []
        parts = ", ".join(f"{c.kind} {c.validity:+.3f} [{c.ci_low:+.3f}, {c.ci_high:+.3f}]"
                          for c in self.controls)
        out = [f"Judge controls (validity should be 0; not in the FDR family): {parts}. "
               f"Judge P(yes) over the run: median {self.p_yes['q50']:.2f}, 5-95% "
               f"{self.p_yes['q05']:.2f}-{self.p_yes['q95']:.2f}."]
        if self.bias_bound is not None:
            out.append(f"The judge is biased between A and B: a control that cannot differ "
                       f"came out significant (bias bound {self.bias_bound:.3f}). "
                       f"{len(self.flagged)} significant finding(s) with |validity| <= "
                       f"{self.bias_bound:.3f} are flagged '{FLAG}'.")
        every = [c for c in self.controls if c.kind == "placebo_every_text"]
        none = [c for c in self.controls if c.kind == "placebo_no_text"]
        if every and none and every[0].mean_p_yes - none[0].mean_p_yes < 0.5:
            out.append(f"The judge barely tells a true statement from a false one: mean P(yes) "
                       f"{every[0].mean_p_yes:.2f} for a statement true of every text, "
                       f"{none[0].mean_p_yes:.2f} for one true of none.")
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["biased"] = [c.hypothesis for c in self.biased]
        return d


def run_controls(judge: Judge, texts_a: Sequence[str], texts_b: Sequence[str], *,
                 swap: Sequence[tuple[str, np.ndarray, np.ndarray]] = (),
                 judgments: Sequence[np.ndarray] = (), spread: ValueHistogram | None = None,
                 alpha: float = 0.05) -> JudgeControls:
    """Judge the placebos on all of ``texts_a`` / ``texts_b`` and, for each ``(hypothesis,
    judgments on A, judgments on B)`` in ``swap``, its negation on the texts those judgments
    cover (the first ``len(ja)`` / ``len(jb)`` texts). ``judgments`` (or their histogram,
    ``spread``) are the run's other judgments, for the P(yes) spread."""
    a, b = list(texts_a), list(texts_b)
    controls: list[Control] = []
    hist = ValueHistogram.of(np.concatenate([np.ravel(j) for j in judgments])
                             if len(judgments) else np.zeros(0))
    if spread is not None:
        hist.add(spread)
    hyps = [Hypothesis(h, source="control") for h, _ in PLACEBOS]
    ma, mb = judge.judge(hyps, a), judge.judge(hyps, b)
    made = ma.size + mb.size
    for (text, kind), xa, xb in zip(PLACEBOS, ma, mb):
        controls.append(_control(text, kind, None, xa, xb, alpha))
        hist.add(ValueHistogram.of(np.r_[xa, xb]))
    for h, ja, jb in swap:
        ja, jb = np.asarray(ja, dtype=float), np.asarray(jb, dtype=float)
        if ja.size < 2 or jb.size < 2:
            continue
        neg = Hypothesis(negation(h), source="control")
        na, nb = judge.judge([neg], a[:ja.size])[0], judge.judge([neg], b[:jb.size])[0]
        made += na.size + nb.size
        hist.add(ValueHistogram.of(np.r_[na, nb]))
        controls.append(_control(neg.text, "role_swap", h, (ja + na) / 2, (jb + nb) / 2,
                                 alpha, p_yes=np.r_[na, nb]))
    return summarize_controls(controls, hist, made, alpha)


def summarize_controls(controls: list[Control], hist: ValueHistogram, made: int,
                       alpha: float) -> JudgeControls:
    """The :class:`JudgeControls` of measured controls: the bias bound and the P(yes)
    spread (``hist``: every judgment of the run and of the controls)."""
    biased = [c for c in controls if c.biased]
    bound = max((max(abs(c.ci_low), abs(c.ci_high)) for c in biased), default=None)
    return JudgeControls(controls, hist.spread(), bound, judgments=int(made), alpha=alpha)


def control_from_moments(text: str, kind: str, of: str | None, a: SampleMoments,
                         b: SampleMoments, mean_p_yes: float, alpha: float) -> Control:
    """A :class:`Control` from the moments of its per-text values on A and B (streamed
    controls: :func:`wordlens.stats.compare_moments` equals ``compare`` on the values)."""
    t = compare_moments(a, b)
    return Control(text, kind, of, t.share_a, t.share_b, t.validity, t.ci_low, t.ci_high,
                   t.p_value, bool(t.p_value < alpha), t.n_a, t.n_b, round(mean_p_yes, 4))


#: measures controls without the judgments in memory (streamed: wordlens.engine.controls):
#: (judge, texts A, texts B, swap = [(hypothesis, texts of A, texts of B it covers)],
#: spread of the run's judgments, alpha) -> JudgeControls
MeasureControls = Callable[..., JudgeControls]


def flag_findings(rows: Sequence[Any], controls: JudgeControls) -> list[str]:
    """Add :data:`FLAG` to ``row.flags`` of significant rows no larger than the bias bound;
    returns the flagged hypotheses."""
    if controls.bias_bound is None:
        return []
    flagged = []
    for row in rows:
        if row.significant and abs(row.validity) <= controls.bias_bound:
            row.flags = [*row.flags, FLAG]
            flagged.append(row.hypothesis)
    return flagged


def controls_for_diff(judge: Judge, ver: Any, rows: Sequence[Any], val_a: Sequence[str],
                      val_b: Sequence[str], alpha: float,
                      measure: MeasureControls | None = None
                      ) -> tuple[JudgeControls | None, list[str]]:
    """Run the controls for a diff (role swap of the top-ranked finding), flag its rows, and
    return the controls (None when the budget ran out first) and notes. ``ver`` is the
    diff's :class:`~wordlens.validation.Verification`; ``measure`` runs the controls when
    its judgments are not in memory (a streamed verification)."""
    top = [r for r in rows if r.significant][:1] or list(rows[:1])
    pos = {h.text: i for i, h in enumerate(ver.hypotheses)}
    picked = [(r.hypothesis, pos[r.hypothesis]) for r in top if r.hypothesis in pos]
    try:
        if measure is None:
            swap = [(h, ver.judgments_a[k], ver.judgments_b[k]) for h, k in picked]
            ctl = run_controls(judge, val_a, val_b, swap=swap, spread=ver.spread(),
                               alpha=alpha)
        else:
            ctl = measure(judge, val_a, val_b,
                          swap=[(ver.hypotheses[k], *ver.ev.judged(k)) for _, k in picked],
                          spread=ver.spread(), alpha=alpha)
    except BudgetExceeded as exc:
        return None, [f"Judge controls were not run: {exc}. Findings are unchecked for judge "
                      "bias."]
    ctl = JudgeControls(ctl.controls, ctl.p_yes, ctl.bias_bound, flag_findings(rows, ctl),
                        ctl.judgments, ctl.alpha)
    return ctl, ctl.notes()


def _control(text: str, kind: str, of: str | None, xa: np.ndarray, xb: np.ndarray,
             alpha: float, p_yes: np.ndarray | None = None) -> Control:
    t = compare(xa, xb)
    p_yes = np.r_[xa, xb] if p_yes is None else p_yes
    return Control(text, kind, of, t.share_a, t.share_b, t.validity, t.ci_low, t.ci_high,
                   t.p_value, bool(t.p_value < alpha), t.n_a, t.n_b,
                   round(float(np.mean(p_yes)), 4))
