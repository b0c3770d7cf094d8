"""Model-free deterministic judges for the engine tests (picklable to Ray workers)."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import numpy as np

from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge


def _u(h: str, t: str) -> float:
    return int(hashlib.sha256(f"{h}|{t}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


class HashJudge(Judge):
    """Judgments that depend only on (hypothesis, text): 0/1 for hypotheses starting with
    "bin", soft otherwise; texts containing "alpha" lean towards holding."""

    name = "hash judge (test)"

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        out = np.zeros((len(hypotheses), len(texts)))
        for i, h in enumerate(hypotheses):
            last = h.text.split()[-1]  # a control's statement ends in a word: no lean
            lean = 0.25 * (int(last) % 3) if last.isdigit() else 0.0
            for k, t in enumerate(texts):
                u = _u(h.text, t) + (lean if "alpha" in t else 0.0)
                out[i, k] = float(u > 0.6) if h.text.startswith("bin") else min(u, 1.0)
        return out


class KillOnceJudge(HashJudge):
    """HashJudge that kills its own process (SIGKILL, as an operator or the OOM killer
    would) the first time it judges, in whichever worker that is; a marker file makes later
    attempts run normally."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker

    def judge_matrix(self, hypotheses, texts):
        if not Path(self.marker).exists():
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return super().judge_matrix(hypotheses, texts)


def corpora(n_a: int = 300, n_b: int = 260) -> tuple[list[str], list[str]]:
    a = [f"text {i} alpha {'x' * (i % 7)}" for i in range(n_a)]
    b = [f"text {i} beta {'y' * (i % 5)}" for i in range(n_b)]
    return a, b


HYPOTHESES = [f"bin hypothesis {i}" for i in range(6)] + [f"soft hypothesis {i}"
                                                        for i in range(6)]
