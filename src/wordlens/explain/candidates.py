"""Candidate hypotheses for `explain`.

- A label-free pool, built once on all texts: the general properties and the named features
  of a sparse autoencoder on the text embeddings (:mod:`wordlens.explain.sae`; named by their
  distinctive words or by descriptions of the shipped topic bank). None of them looks at
  predictions or labels.
- Label-dependent candidates, mined on the training texts of each fold only: contrastive
  keyword groups, words and phrases of each predicted class (many of them), graded class
  lexicons (:mod:`wordlens.explain.lexicon`), plus whatever a configured proposer (an LLM)
  proposes from the two sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..proposers.base import Proposer
from ..proposers.contrastive import ContrastivePhraseProposer
from ..proposers.properties import PropertyProposer
from ..proposers.topics import TopicProposer
from .lexicon import lexicon_candidates
from .sae import SaeReport, sae_candidates, text_embeddings

#: contrastive terms kept per side (class) before grouping: many, so that a surrogate of up
#: to 20 hypotheses has enough to choose from
TERMS_PER_SIDE = 100
#: two-proportion z-score a term needs (|z| >= 2: the usual 5 % two-sided level)
MIN_Z = 2.0


@dataclass
class Pool:
    """Label-free candidates with their judgments on all texts [N x H]."""

    hypotheses: list[Hypothesis]
    judgments: np.ndarray
    sae: SaeReport | None = None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for h in self.hypotheses:
            out[h.source] = out.get(h.source, 0) + 1
        return out


def _encoder(judge: Judge, encoder: Any = None) -> Any:
    if encoder is not None:
        return encoder
    enc = judge.encoder
    if enc is None:
        from ..encoders import default_encoder

        enc = default_encoder()
    return enc


def label_free_pool(texts: Sequence[str], judge: Judge, *, encoder: Any = None,
                    sae: bool = True, seed: int = 0, log: Any = None) -> Pool:
    """The general properties and the surviving SAE features, judged on ``texts``.

    Descriptions of the topic bank enter only as names of SAE neurons they reproduce: a
    generic description ("is about films") that matches no structure of these texts is not
    offered, so the surrogate cannot pick a misleading name for a faint embedding cue. An
    expensive judge (an LLM) gets the properties only."""
    texts = list(texts)
    say = log or (lambda m: None)
    hyps = as_hypotheses(PropertyProposer().propose(texts, [], seed=seed))
    J = judge.judge(hyps, texts).T if hyps else np.zeros((len(texts), 0))
    report = None
    if sae and not judge.expensive:
        enc = _encoder(judge, encoder)
        say("embedding the texts for the sparse autoencoder")
        E = text_embeddings(texts, enc)
        bank = as_hypotheses(TopicProposer().propose([], [], seed=seed))
        say(f"judging {len(bank)} bank descriptions (to name neurons)")
        J_bank = judge.judge(bank, texts).T
        bank_vecs = np.asarray(enc.encode([f"This text {h.text.rstrip('.')}." for h in bank]),
                               dtype=float)
        bank_vecs = bank_vecs - E.mean(axis=0)
        bank_vecs /= np.linalg.norm(bank_vecs, axis=1, keepdims=True) + 1e-12
        say("training the sparse autoencoder and naming its neurons")
        found, report = sae_candidates(texts, E, bank=bank, bank_vectors=bank_vecs,
                                       bank_judgments=J_bank, seed=seed)
        keys = {h.key for h in hyps}
        new = as_hypotheses([h for h in found if h.key not in keys])
        if new:
            hyps = hyps + new
            J = np.hstack([J, judge.judge(new, texts).T])
    return Pool(hyps, J, report)


def fold_candidates(texts: Sequence[str], target: np.ndarray, *, encoder: Any = None,
                    proposer: Proposer | None = None, names: tuple[str, str] | None = None,
                    lexicons: bool = True, seed: int = 0) -> list[Hypothesis]:
    """Candidates mined from ``texts`` with their 0/1 ``target`` (training texts of one
    fold): contrastive keyword groups, words and phrases of both sides, graded class
    lexicons (``lexicons``; ``names`` of the two sides for their wording) and a configured
    proposer's hypotheses."""
    y = np.asarray(target).astype(int)
    a = [t for t, v in zip(texts, y) if v == 1]
    b = [t for t, v in zip(texts, y) if v == 0]
    if len(a) < 2 or len(b) < 2:
        return []
    miner = ContrastivePhraseProposer(encoder, max_terms_per_side=TERMS_PER_SIDE, min_z=MIN_Z)
    out = list(miner.propose(a, b, seed=seed))
    if lexicons:
        out += lexicon_candidates(texts, y, encoder=encoder,
                                  names=names or ("the explained class", "the other class"))
    if proposer is not None:
        out += as_hypotheses(proposer.propose(a, b, None, seed=seed))
    return as_hypotheses(out)
