"""Selecting a few hypotheses that predict the classifier, and readable phrases."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.errors import InputError
from wordlens.explain.search import expand_phrase, propose_for_predictions, select
from wordlens.hypothesis import Hypothesis
from wordlens.proposers.properties import PropertyProposer


def _problem(seed=0, n=300):
    rng = np.random.default_rng(seed)
    J = rng.random((n, 6))
    J[:, 2] = rng.random(n) < 0.5  # a binary cue
    J[:, 4] = rng.random(n) < 0.5  # a weaker binary cue
    logit = 4 * J[:, 2] + 1.5 * J[:, 4] - 2.5
    f = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return J, f, [Hypothesis(f"h{i}") for i in range(6)]


@pytest.mark.parametrize("method", ["forward", "l1"])
def test_selection_finds_the_cues_in_order(method):
    J, f, hyps = _problem()
    sel = select(J, f, hyps, k=2, method=method)
    assert [h.text for h in sel.hypotheses] == ["h2", "h4"]
    assert len(sel.fidelity_trace) == 2 and sel.fidelity_trace[0] > 0.7


def test_unknown_method_and_one_sided_predictions_are_input_errors():
    J, f, hyps = _problem()
    with pytest.raises(InputError, match="unknown method"):
        select(J, f, hyps, method="magic")
    with pytest.raises(InputError, match="need at least 2 of each"):
        propose_for_predictions(["a", "b", "c"], np.array([1, 1, 1]), PropertyProposer())


def test_single_word_becomes_the_phrase_it_always_comes_in():
    texts = ["great player (verified purchase)", "fine (verified purchase)", "ok",
             "nice screen (verified purchase)", "verified purchase of a dud"]
    h = Hypothesis("uses the word 'verified'", "p", {"kind": "keywords", "words": ["verified"]})
    out = expand_phrase(h, texts)
    assert out.text == "uses the phrase 'verified purchase'"
    assert out.form == {"kind": "keywords", "words": ["verified purchase"]}
    loose = Hypothesis("uses the word 'fine'", "p", {"kind": "keywords", "words": ["fine"]})
    assert expand_phrase(loose, texts + ["fine day", "fine wine"]) == loose


def test_keyword_group_becomes_the_phrase_all_its_texts_share():
    texts = ["great player (verified purchase)", "fine (verified purchase)", "ok",
             "nice screen (verified purchase)", "a verified purchase of a dud"]
    h = Hypothesis("uses words related to 'purchase'", "p",
                   {"kind": "keywords", "words": ["purchase", "verified", "verified purchase"]})
    assert expand_phrase(h, texts).form["words"] == ["verified purchase"]
    mixed = texts + ["purchase price", "purchase again"]
    assert expand_phrase(h, mixed) == h
