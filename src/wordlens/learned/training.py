"""Training examples for the learned proposer, from forward samples and from replayed search
winners, and the one-call training recipe used by ``wordlens train-proposer``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..encoders import SentenceEncoder, default_encoder
from ..judges.base import Judge
from ..proposers.learned.model import LearnedProposer, PairExample, PairSummary
from ..proposers.learned.sketch import feature_contrast, sketch
from .bank import Bank
from .synthetic import Difficulty, ForwardSampler, Problem

#: the mix of difficulties used for training (each problem gets the next one in turn)
TRAIN_DIFFICULTIES = (
    Difficulty(n_a=60, n_b=60, purity=1.0),
    Difficulty(n_a=100, n_b=100, purity=0.8, n_distractors=1),
    Difficulty(n_a=150, n_b=150, purity=0.6, n_distractors=2),
    Difficulty(n_a=40, n_b=80, purity=0.9, n_distractors=3),
)


def problem_example(problem: Problem, sampler: ForwardSampler, encoder: SentenceEncoder, *,
                    soft: float = 0.3, temperature: float = 0.05, top: int = 10) -> PairExample:
    """Target: the answer (weight 1 - soft) plus the search's view (weight soft): a softmax of
    |validity| / temperature over the ``top`` bank hypotheses with the largest |validity|."""
    summary = _summary(problem, sampler, encoder)
    keys = sampler.bank.keys
    targets = {problem.target.key: 1.0 - soft}
    if soft > 0:
        v = np.abs(sampler.validities(problem))
        idx = np.argsort(-v)[:top]
        w = np.exp((v[idx] - v[idx].max()) / temperature)
        w = soft * w / w.sum()
        for i, wi in zip(idx, w):
            targets[keys[i]] = targets.get(keys[i], 0.0) + float(wi)
    return PairExample(summary, targets, origin=f"forward:{sampler.name_}")


def _summary(problem: Problem, sampler: ForwardSampler, encoder: SentenceEncoder
             ) -> PairSummary:
    """Pair summary from per-corpus encodings and sketches computed once per sampler."""
    cache = sampler.__dict__.setdefault("_summary_cache", {})
    if "emb" not in cache:
        cache["emb"] = encoder.encode(sampler.texts_)
        cache["sketch"] = sketch(sampler.texts_)
    e, s = cache["emb"], cache["sketch"]
    a, b = problem.a_idx, problem.b_idx
    return PairSummary(e[a].mean(axis=0), e[b].mean(axis=0), s[a].mean(axis=0),
                       s[b].mean(axis=0), len(a), len(b))


def problem_examples(problems: Sequence[Problem], sampler: ForwardSampler,
                     encoder: SentenceEncoder, **kw) -> list[PairExample]:
    return [problem_example(p, sampler, encoder, **kw) for p in problems]


@dataclass
class TrainingData:
    examples: list[PairExample]
    samplers: list[ForwardSampler]
    n_forward: int
    n_replay: int
    #: data-driven sketch prior per hypothesis key (see :func:`sketch_prior_from`)
    sketch_prior: dict[str, np.ndarray] = field(default_factory=dict)


def sketch_prior_from(samplers: Sequence[ForwardSampler], *, kinds: Sequence[str] | None = (
        "property",)) -> dict[str, np.ndarray]:
    """Per hypothesis, the sketch features that separate the training texts where it holds
    (by the judge) from those where it does not, summed over the corpora and scaled to unit
    length (:func:`~wordlens.amortized.sketch.feature_contrast`). Only hypotheses whose form
    kind is in ``kinds`` (all when None): by default the properties, whose surface markers
    (a '?', 'I', digits) carry over to new domains, unlike the words that go with a topic."""
    total: dict[str, np.ndarray] = {}
    for s in samplers:
        cache = s.__dict__.get("_summary_cache", {})
        sk = cache["sketch"] if "sketch" in cache else sketch(s.texts_)
        contrast = feature_contrast(s.holds_, sk)
        for h, v in zip(s.bank, contrast):
            kind = (h.form or {}).get("kind")
            if (kinds is None or kind in kinds) and np.any(v):
                total[h.key] = total.get(h.key, 0) + v
    return {k: v / np.linalg.norm(v) for k, v in total.items() if np.linalg.norm(v) > 0}


def forward_training_data(corpora: Sequence[tuple[str, list[str]]], bank: Bank, *,
                          n_problems: int = 1500, seed: int = 0, judge: Judge | None = None,
                          encoder: SentenceEncoder | None = None,
                          difficulties: Sequence[Difficulty] = TRAIN_DIFFICULTIES
                          ) -> TrainingData:
    """Forward-sample ``n_problems`` per corpus (split evenly over ``difficulties``)."""
    encoder = encoder or default_encoder()
    examples: list[PairExample] = []
    samplers = []
    for j, (name, texts) in enumerate(corpora):
        sampler = ForwardSampler(bank, judge).fit(texts, name=name)
        samplers.append(sampler)
        problems = sampler.sample_mixed(n_problems, difficulties, seed=seed * 1000 + j)
        examples += problem_examples(problems, sampler, encoder)
    return TrainingData(examples, samplers, len(examples), 0, sketch_prior_from(samplers))


def train_proposer(corpora: Sequence[tuple[str, list[str]]], bank: Bank, *,
                   replay: Sequence | None = None, n_problems: int = 1500, seed: int = 0,
                   judge: Judge | None = None, encoder: SentenceEncoder | None = None,
                   top_k: int = 10, epochs: int = 300) -> LearnedProposer:
    """Forward-sample problems from ``corpora``, add replayed search winners, fit."""
    from .replay import replay_examples

    encoder = encoder or default_encoder()
    data = forward_training_data(corpora, bank, n_problems=n_problems, seed=seed, judge=judge,
                                 encoder=encoder) if corpora else TrainingData([], [], 0, 0)
    examples = list(data.examples)
    extra = []
    if replay:
        rex, extra = replay_examples(replay)
        examples += rex
    model = LearnedProposer(bank, top_k=top_k, encoder=encoder, epochs=epochs, seed=seed)
    return model.fit(examples, extra_hypotheses=extra, sketch_prior=data.sketch_prior)
