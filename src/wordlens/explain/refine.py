"""HypoGeniC-style refinement with a configured proposer (an LLM): after a selection, show the
proposer the texts the surrogate gets most wrong, add what it proposes to the candidates and
select again.

Each round's A side is the explained-class texts the current surrogate scores lowest (its
misses first) and the B side the other texts it scores highest (its false alarms first), so
the proposer is asked what separates exactly the texts the chosen hypotheses cannot tell
apart. Selection then keeps only proposals that raise cross-validated accuracy (the refine
step); it all runs on the texts given, so inside a fold of the cross-fitted curve it sees that
fold's training texts only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..hypothesis import Hypothesis, as_hypotheses
from ..proposers.base import Proposer
from .surrogate import fit_logistic

#: rounds of propose-from-errors, re-select
ROUNDS = 2
#: hardest texts shown per side each round
PER_SIDE = 20


def hard_examples(J: np.ndarray, y: np.ndarray, texts: Sequence[str], *,
                  per_side: int = PER_SIDE) -> tuple[list[str], list[str]]:
    """The explained-class texts the surrogate on ``J`` scores lowest and the other texts it
    scores highest (in-sample fit; no columns: every text is as hard as any)."""
    y = np.asarray(y).astype(int)
    if J.shape[1]:
        w, b = fit_logistic(J, y)
        p = 1.0 / (1.0 + np.exp(-np.clip(J @ w + b, -500, 500)))
    else:
        p = np.full(len(y), 0.5)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    a = [texts[i] for i in pos[np.argsort(p[pos], kind="stable")][:per_side]]
    b = [texts[i] for i in neg[np.argsort(-p[neg], kind="stable")][:per_side]]
    return a, b


def refine(cands: list[Hypothesis], y: np.ndarray, texts: Sequence[str], proposer: Proposer,
           select_fn: Callable[[list[Hypothesis]], tuple[list[int], np.ndarray]], *,
           rounds: int = ROUNDS, seed: int = 0) -> list[Hypothesis]:
    """Candidates grown by ``rounds`` of proposing from the current selection's errors;
    ``select_fn(cands)`` returns the chosen columns and the candidates' judgment matrix on
    ``texts``."""
    cands = list(cands)
    for r in range(rounds):
        chosen, J = select_fn(cands)
        a, b = hard_examples(J[:, chosen], y, texts)
        if len(a) < 2 or len(b) < 2:
            break
        keys = {h.key for h in cands}
        new = [h for h in as_hypotheses(proposer.propose(a, b, None, seed=seed + 1 + r))
               if h.key not in keys]
        if not new:
            break
        cands += new
    return cands
