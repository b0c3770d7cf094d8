"""Presets of a diff: settings named in :class:`~wordlens.diff.DiffConfig` (today ``fast``)
and what they prepare before verifying. ``fast`` (``DiffConfig(fast=True)``, ``--fast``):
a static text encoder fitted once on a small sample of the proposal texts, the fast judge
and an offline proposer that reads with it (where the config leaves the judge and proposer
to their defaults), a bounded proposal sample, and streamed verification
(:attr:`DiffConfig.streamed`)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from ..encoders import SentenceEncoder, default_encoder
from ..encoders.static import StaticTextEncoder
from ..judges.base import Judge
from ..judges.fast import FastJudge
from ..progress import phase
from ..proposers.base import Proposer
from ..split import Split
from .config import DiffConfig

__all__ = ["FastSetup", "Prepared", "fit_static_encoder", "prepare"]

PROPOSAL_SAMPLE = 2000  # proposal texts per side the proposer reads
FIT_SAMPLE = 400  # proposal texts per side MiniLM encodes to fit the static encoder
FIT_STEPS = 150  # optimiser steps fitting it (about 0.7 cosine to MiniLM on held-out texts)
_ENCODE_BATCH = 64


@dataclass
class FastSetup:
    """The judge, proposer and proposal texts of a ``--fast`` run, and what it trades."""

    judge: Judge
    proposer: Proposer | None
    proposal_split: Split
    notes: list[str]
    fit_texts: int

    @classmethod
    def prepare(cls, split: Split, *, judge: Judge | None = None,
                proposer: Proposer | None = None, encoder: SentenceEncoder | None = None,
                proposal_sample: int = PROPOSAL_SAMPLE, fit_sample: int = FIT_SAMPLE
                ) -> FastSetup:
        """Fit the static encoder (when the judge is the default) and pick the proposal
        sample. Only proposal texts are read, so validation statistics stay held out."""
        # the proposal half is a seeded random permutation: its first texts are a uniform
        # random sample of it
        sample = dataclasses.replace(split, proposal_a=split.proposal_a[:proposal_sample],
                                     proposal_b=split.proposal_b[:proposal_sample])
        notes = []
        n_fit = 0
        if judge is None:
            fit = sample.proposal_a[:fit_sample] + sample.proposal_b[:fit_sample]
            static = fit_static_encoder(fit, encoder, seed=split.seed)
            judge = FastJudge(static, encoder)
            n_fit = len(fit)
            notes.append(
                f"--fast: free-text hypotheses are judged on a static token-table encoding "
                f"of each text (fitted to MiniLM on {n_fit} proposal texts; no transformer "
                "pass per text), an approximation of the default judge's MiniLM embedding; "
                "exact judges are unchanged.")
        if proposer is None:
            from ..proposers.offline import OfflineProposer

            proposer = OfflineProposer(judge=judge, encoder=encoder)
        n_prop = (len(sample.proposal_a), len(sample.proposal_b))
        if n_prop != (len(split.proposal_a), len(split.proposal_b)):
            notes.append(f"--fast: hypotheses were proposed from a uniform sample of "
                         f"{n_prop[0]} + {n_prop[1]} of the {len(split.proposal_a)} + "
                         f"{len(split.proposal_b)} proposal texts.")
        notes.append("--fast: verification streams the validation texts in batches and keeps "
                     "per-hypothesis sufficient statistics (exact shares, intervals and "
                     "p-values); AUC is computed on a seeded uniform sample of at most 20,000 "
                     "validation texts per side (exact when a side has fewer).")
        return cls(judge, proposer, sample, notes, n_fit)


def fit_static_encoder(texts: list[str], encoder: SentenceEncoder | None = None, *,
                       seed: int = 0) -> StaticTextEncoder:
    """A :class:`StaticTextEncoder` imitating ``encoder`` (MiniLM by default), fitted on
    ``texts``: its token table is built once per encoder and cached; the texts are encoded
    by MiniLM once, then the table is tuned for ``FIT_STEPS`` steps (a short fit: the
    distillation students fit longer)."""
    enc = encoder or default_encoder()
    static = StaticTextEncoder(enc, seed=seed, epochs=1, min_steps=FIT_STEPS)
    with phase("static token table (once, then cached)"):
        static.token_table()
    vecs = []
    with phase("MiniLM on the fit sample", total=len(texts), unit="texts") as ph:
        for s in range(0, len(texts), _ENCODE_BATCH):
            vecs.append(enc.encode(texts[s:s + _ENCODE_BATCH]))
            ph.advance(len(vecs[-1]))
    with phase("fitting the static encoder"):
        static.fit(texts, targets=np.concatenate(vecs))
    return static


@dataclass
class Prepared:
    """A run's config once its preset picked what the user left to it, the proposal texts
    the proposer reads, the preset's notes and its setup time."""

    config: DiffConfig
    proposal_split: Split
    notes: list[str]
    seconds: float


def prepare(split: Split, cfg: DiffConfig) -> Prepared | None:
    """What the config's preset prepares on ``split`` (None: no preset). ``fast`` replaces a
    default judge and proposer (hypotheses given by the user are kept: no proposer)."""
    if not cfg.fast:
        return None
    t0 = time.perf_counter()
    setup = FastSetup.prepare(split, judge=cfg.judge, proposer=cfg.proposer)
    cfg = dataclasses.replace(cfg, judge=setup.judge, proposer=(
        None if cfg.hypotheses is not None else setup.proposer))
    return Prepared(cfg, setup.proposal_split, setup.notes, time.perf_counter() - t0)
