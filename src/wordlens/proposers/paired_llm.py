"""LLM proposer for pairs: a contrast prompt that shows the two texts of each pair side by
side (as D5 and VibeCheck do) and asks how the second text of a pair differs from the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..llm.client import make_request
from ..llm.prompts import DATA_RULE, PROPOSER_EXAMPLES, text_block
from .llm import LLMProposer

PAIRED_SYSTEM = ("You are a careful research assistant who finds how two versions of the same "
                 "item differ. " + DATA_RULE)
PAIRED_USER = (
    "Each pair below holds two texts about the same item (the same prompt, story or "
    "document): text A and text B.\n\n{pairs}\n\n{goal_line}"
    "Across the pairs, which properties hold more often for text A than for text B of the "
    "same pair? Ignore what the two texts of a pair share (their topic); describe how A "
    "differs from B. Write {n} hypotheses. Each must be a short predicate about a single "
    "text (at most 12 words, plain words only) that someone can check by reading that one "
    "text, shaped like "
    + ", ".join(f'"{e}"' for e in PROPOSER_EXAMPLES[:-1]) + f' or "{PROPOSER_EXAMPLES[-1]}" '
    "with the part in angle brackets filled in from the texts. Do not mention A, B or the "
    "pairs. Answer as a JSON list of strings.")


class PairedLLMProposer(LLMProposer):
    """:class:`LLMProposer` on pairs: each round shows ``per_side`` random pairs side by
    side; odd rounds swap the roles of A and B so both directions are proposed."""

    name = "llm, paired"

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        if len(a) != len(b):
            raise ValueError("paired proposing needs the two texts of each pair")
        return super().propose(a, b, goal, seed=seed)

    def _round(self, a: list[str], b: list[str], weights: Any, goal: str | None, seed: int,
               r: int, attempt: int) -> tuple[dict, list[str]]:
        rng = np.random.default_rng([seed, r] if attempt == 0 else [seed, r, attempt])
        idx = rng.choice(len(a), size=min(self.per_side, len(a)), replace=False)
        first, second = (a, b) if r % 2 == 0 else (b, a)
        pairs = [(first[i], second[i]) for i in idx]
        shown = [t for p in pairs for t in p]
        return self._pair_request(pairs, goal), shown

    def _pair_request(self, pairs: list[tuple[str, str]], goal: str | None) -> dict:
        blocks = "\n\n".join(
            f"Pair {k + 1}:\n{text_block(x, f'{k + 1}A', self.max_text_chars)}\n"
            f"{text_block(y, f'{k + 1}B', self.max_text_chars)}"
            for k, (x, y) in enumerate(pairs))
        user = PAIRED_USER.format(pairs=blocks, n=self.per_round,
                                  goal_line=f"Research goal: {goal}\n\n" if goal else "")
        return make_request([{"role": "system", "content": PAIRED_SYSTEM},
                             {"role": "user", "content": user}],
                            max_tokens=40 * self.per_round + 64, temperature=self.temperature)

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"paired": True, "prompt": "pairs side by side"}


def paired_llm_proposer(p: LLMProposer) -> PairedLLMProposer:
    """The paired version of an :class:`LLMProposer`, same client and settings."""
    return PairedLLMProposer(p.client, rounds=p.rounds, per_side=p.per_side,
                             per_round=p.per_round, max_hypotheses=p.max_hypotheses,
                             max_text_chars=p.max_text_chars, temperature=p.temperature,
                             retries=p.retries)
