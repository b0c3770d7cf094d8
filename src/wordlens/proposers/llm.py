"""D3/D5-style LLM proposer: show samples of A and B (and the goal), ask for predicates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import BackendError, BudgetExceeded
from ..hypothesis import Hypothesis
from ..llm.client import ChatClient, make_request
from ..llm.factory import build_client
from ..llm.parsing import DROP_REASONS, ParsedHypotheses, dedupe, parse_hypotheses
from ..llm.prompts import PROPOSER_EXAMPLES, PROPOSER_SYSTEM, PROPOSER_USER, text_block
from ..llm.spec import ModelSpec
from .base import Proposer


def build_proposer(spec: str | ModelSpec, **client_kw: Any) -> LLMProposer:
    """An :class:`LLMProposer` on a client for ``spec`` (``client_kw`` as
    :func:`~wordlens.llm.factory.build_client`)."""
    return LLMProposer(build_client(spec, **client_kw))


class LLMProposer(Proposer):
    """Ask a chat model for hypotheses over several rounds of different subsamples.

    Each round shows ``per_side`` texts of each corpus, drawn with weights that favour the
    most discriminative texts (out-of-fold TF-IDF logistic-regression confidence, as D3 does
    with a fine-tuned classifier); odd rounds swap the groups so both directions are
    proposed. Answers are parsed leniently; only items that look like a hypothesis are kept
    (see :func:`wordlens.llm.parsing.parse_hypotheses`), and a round whose reply yields none
    is asked again (``retries`` times) with a fresh sample of texts. Kept items are
    de-duplicated; ``describe()`` counts the raw items dropped, by reason.
    """

    name = "llm"

    def __init__(self, client: ChatClient, *, rounds: int = 4, per_side: int = 10,
                 per_round: int = 8, max_hypotheses: int = 40, max_text_chars: int = 400,
                 temperature: float = 0.7, retries: int = 2):
        self.client = client
        self.rounds = rounds
        self.per_side = per_side
        self.per_round = per_round
        self.max_hypotheses = max_hypotheses
        self.max_text_chars = max_text_chars
        self.temperature = temperature
        self.retries = retries

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        a, b = list(a), list(b)
        weights = discriminative_weights(a, b, seed=seed)
        self.parsed_ = ParsedHypotheses()
        self.failed_replies_ = 0
        self.budget_note_ = None
        per_round: dict[int, list[str]] = {}
        pending = list(range(self.rounds))
        for attempt in range(1 + self.retries):  # a round whose reply yields nothing is re-asked
            jobs = [self._round(a, b, weights, goal, seed, r, attempt) for r in pending]
            replies = self.client.chat_many([req for req, _ in jobs], return_exceptions=True)
            self._raise_unless_budget(replies, answered=len(per_round))
            still = []
            for r, (_, shown), reply in zip(pending, jobs, replies):
                if isinstance(reply, BaseException):
                    continue  # budget stop, noted
                parsed = parse_hypotheses(reply.text, examples=PROPOSER_EXAMPLES,
                                          shown_texts=shown)
                self.parsed_.merge(parsed)
                if parsed.kept:
                    per_round[r] = parsed.kept
                else:
                    self.failed_replies_ += 1
                    still.append(r)
            pending = still
            if not pending or self.budget_note_:
                break
        self.failed_rounds_ = len(pending)
        if not per_round and not self.budget_note_:
            raise BackendError(
                f"{self.client.transport.cache_name}: the proposer model gave no usable "
                f"hypothesis in {self.rounds} rounds ({self.failed_replies_} replies, retried "
                f"{self.retries} time(s)); dropped {self.parsed_.n_raw} raw items: "
                f"{self.parsed_.summary() or 'none'}. Use a stronger model, or test your own "
                "hypotheses with --hypotheses")
        answers = [per_round[r] for r in sorted(per_round)]
        merged = []  # interleave rounds: each answer's first items are its best guesses
        for k in range(max((len(p) for p in answers), default=0)):
            merged += [p[k] for p in answers if k < len(p)]
        kept = dedupe(merged)[: self.max_hypotheses]
        self.n_raw_ = self.parsed_.n_raw
        self.n_proposed_ = len(kept)
        return [Hypothesis(h, source=f"llm:{self.client.transport.cache_name}") for h in kept]

    def _round(self, a: list[str], b: list[str], weights: tuple[np.ndarray, np.ndarray],
               goal: str | None, seed: int, r: int, attempt: int) -> tuple[dict, list[str]]:
        """Round ``r``'s request (attempt > 0: a fresh sample of texts) and the texts shown."""
        rng = np.random.default_rng([seed, r] if attempt == 0 else [seed, r, attempt])
        sa = _pick(a, weights[0], self.per_side, rng, top_first=(r < 2 and attempt == 0))
        sb = _pick(b, weights[1], self.per_side, rng, top_first=(r < 2 and attempt == 0))
        return self._request(*((sa, sb) if r % 2 == 0 else (sb, sa)), goal), sa + sb

    def _raise_unless_budget(self, replies: list, answered: int) -> None:
        errors = [x for x in replies if isinstance(x, BaseException)]
        budget = [e for e in errors if isinstance(e, BudgetExceeded)]
        if errors and not budget:
            raise errors[0]
        if budget:
            ok = answered + sum(not isinstance(x, BaseException) for x in replies)
            if not ok:
                raise budget[0]
            self.budget_note_ = f"{budget[0]}; proposing used {ok} of {self.rounds} rounds"

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
             **self._dropped(), **self.client.describe()}
        if getattr(self, "budget_note_", None):
            d["budget_note"] = self.budget_note_
        return d

    def _dropped(self) -> dict[str, Any]:
        parsed = getattr(self, "parsed_", None)
        if parsed is None:
            return {}
        d: dict[str, Any] = {
            "looked_like_hypotheses": len(parsed.kept),
            "dropped_items": {DROP_REASONS[r]: n for r, n in parsed.dropped.most_common()},
            "dropped_examples": [[item, DROP_REASONS[r]] for item, r in parsed.dropped_examples],
            "failed_replies": self.failed_replies_, "failed_rounds": self.failed_rounds_}
        if parsed.dropped or self.failed_replies_:
            note = (f"The LLM proposer's replies held {parsed.n_raw} raw items; "
                    f"{sum(parsed.dropped.values())} did not look like a hypothesis and were "
                    f"dropped ({parsed.summary() or 'none'}).")
            if self.failed_replies_:
                note += (f" {self.failed_replies_} replies yielded none and were asked again "
                         f"with other texts; {self.failed_rounds_} of {self.rounds} rounds gave "
                         f"none after {self.retries} retries.")
            d["notes"] = [note]
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
