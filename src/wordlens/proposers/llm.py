"""D3/D5-style LLM proposer: show samples of A and B (and the goal), ask for predicates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..llm.client import ChatClient, make_request
from ..llm.parsing import dedupe, parse_hypothesis_list
from ..llm.prompts import PROPOSER_SYSTEM, PROPOSER_USER, text_block
from .base import Proposer


class LLMProposer(Proposer):
    """Ask a chat model for hypotheses over several rounds of different subsamples.

    Each round shows ``per_side`` texts of each corpus, drawn with weights that favour the
    most discriminative texts (out-of-fold TF-IDF logistic-regression confidence, as D3 does
    with a fine-tuned classifier); odd rounds swap the groups so both directions are
    proposed. Answers are parsed leniently, cleaned and de-duplicated.
    """

    name = "llm"

    def __init__(self, client: ChatClient, *, rounds: int = 4, per_side: int = 10,
                 per_round: int = 8, max_hypotheses: int = 40, max_text_chars: int = 400,
                 temperature: float = 0.7):
        self.client = client
        self.rounds = rounds
        self.per_side = per_side
        self.per_round = per_round
        self.max_hypotheses = max_hypotheses
        self.max_text_chars = max_text_chars
        self.temperature = temperature

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        a, b = list(a), list(b)
        wa, wb = discriminative_weights(a, b, seed=seed)
        reqs = []
        for r in range(self.rounds):
            rng = np.random.default_rng([seed, r])
            sa = _pick(a, wa, self.per_side, rng, top_first=(r < 2))
            sb = _pick(b, wb, self.per_side, rng, top_first=(r < 2))
            reqs.append(self._request(*((sa, sb) if r % 2 == 0 else (sb, sa)), goal))
        replies = self.client.chat_many(reqs, return_exceptions=True)
        errors = [x for x in replies if isinstance(x, BaseException)]
        answers = [x for x in replies if not isinstance(x, BaseException)]
        budget = [e for e in errors if isinstance(e, BudgetExceeded)]
        if errors and (not answers or not budget):
            raise errors[0]
        self.budget_note_ = (f"{budget[0]}; proposing used {len(answers)} of {self.rounds} "
                             "rounds") if budget else None
        per_answer = [parse_hypothesis_list(x.text) for x in answers]
        self.n_raw_ = sum(len(p) for p in per_answer)
        merged = []  # interleave rounds: each answer's first items are its best guesses
        for k in range(max((len(p) for p in per_answer), default=0)):
            merged += [p[k] for p in per_answer if k < len(p)]
        kept = dedupe(merged)[: self.max_hypotheses]
        self.n_proposed_ = len(kept)
        return [Hypothesis(h, source=f"llm:{self.client.transport.cache_name}") for h in kept]

    def _request(self, group_a: list[str], group_b: list[str], goal: str | None) -> dict:
        blocks = lambda xs, p: "\n".join(  # noqa: E731
            text_block(t, f"{p}{i + 1}", self.max_text_chars) for i, t in enumerate(xs))
        user = PROPOSER_USER.format(
            group_a=blocks(group_a, "A"), group_b=blocks(group_b, "B"), n=self.per_round,
            goal_line=f"Research goal: {goal}\n\n" if goal else "")
        return make_request([{"role": "system", "content": PROPOSER_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=40 * self.per_round + 64, temperature=self.temperature)

    def describe(self) -> dict[str, Any]:
        t = self.client.transport
        spec = getattr(t, "spec", None)
        d = {"name": f"llm:{t.cache_name}", "class": type(self).__name__,
             "model": spec.to_dict() if spec else t.cache_name, "rounds": self.rounds,
             "per_side": self.per_side, "per_round": self.per_round,
             "raw_items": getattr(self, "n_raw_", None),
             "kept_after_dedupe": getattr(self, "n_proposed_", None),
             **self.client.describe()}
        if getattr(self, "budget_note_", None):
            d["budget_note"] = self.budget_note_
        return d


def discriminative_weights(a: list[str], b: list[str], *, seed: int = 0
                           ) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probability that each text belongs to its own corpus (uniform when the
    corpora are too small to fit a classifier)."""
    n = min(len(a), len(b))
    if n < 6:
        return np.full(len(a), 0.5), np.full(len(b), 0.5)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    y = np.r_[np.ones(len(a)), np.zeros(len(b))]
    try:
        x = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                            max_features=50000).fit_transform(a + b)
        cv = StratifiedKFold(n_splits=min(5, n), shuffle=True, random_state=seed)
        p = cross_val_predict(LogisticRegression(C=4.0, max_iter=1000), x, y, cv=cv,
                              method="predict_proba")[:, 1]
    except ValueError:  # e.g. empty vocabulary
        return np.full(len(a), 0.5), np.full(len(b), 0.5)
    return p[: len(a)], 1.0 - p[len(a):]


def _pick(texts: list[str], w: np.ndarray, k: int, rng: np.random.Generator, *,
          top_first: bool) -> list[str]:
    """Half the most discriminative texts (early rounds) and the rest sampled by weight."""
    k = min(k, len(texts))
    chosen: list[int] = []
    if top_first:
        chosen = list(np.argsort(-w, kind="stable")[: k // 2])
    rest = np.setdiff1d(np.arange(len(texts)), chosen)
    if k - len(chosen) > 0 and rest.size:
        p = w[rest] ** 2 + 0.02
        chosen += list(rng.choice(rest, size=min(k - len(chosen), rest.size), replace=False,
                                  p=p / p.sum()))
    return [texts[i] for i in chosen]
