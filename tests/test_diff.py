import json

import numpy as np
import pytest

import wordlens
from wordlens.errors import InputError
from wordlens.hypothesis import Hypothesis
from wordlens.result import DiffResult
from wordlens.split import split_halves

from .conftest import read_jsonl


@pytest.fixture(scope="module")
def tech_sport(datasets):
    return (read_jsonl(datasets / "bbc_tech_vs_sports" / "a.jsonl", limit=80),
            read_jsonl(datasets / "bbc_tech_vs_sports" / "b.jsonl", limit=80))


@pytest.fixture(scope="module")
def tech_sport_result(tech_sport, encoder):
    return wordlens.diff(*tech_sport, seed=3)


def test_split_is_seeded_and_disjoint():
    p1, v1 = split_halves(101, 0.5, np.random.default_rng(7))
    p2, v2 = split_halves(101, 0.5, np.random.default_rng(7))
    assert list(p1) == list(p2) and list(v1) == list(v2)
    assert not set(p1) & set(v1) and len(p1) + len(v1) == 101


def test_diff_finds_the_known_topic_difference(tech_sport_result):
    r = tech_sport_result
    top = r.top(5)
    assert all(h.significant for h in top)
    assert any(("sport" in h.hypothesis and h.direction == "B") or
               ("technolog" in h.hypothesis and h.direction == "A") for h in top)
    assert r.corpus_a.n_proposal + r.corpus_a.n_validation == 80
    assert all(h.n_a <= r.corpus_a.n_validation for h in r.hypotheses)


def test_result_numbers_are_consistent(tech_sport_result):
    for h in tech_sport_result.hypotheses:
        assert h.validity == pytest.approx(h.share_a - h.share_b)
        assert h.ci_low <= h.validity <= h.ci_high
        assert h.q_value >= h.p_value
        assert h.significant == (h.q_value < tech_sport_result.alpha)
        assert (h.direction == "A") == (h.validity >= 0)
        assert 0 <= h.auc <= 1
    ranks = [h.rank for h in tech_sport_result.hypotheses]
    assert ranks == list(range(1, len(ranks) + 1))


def test_examples_come_from_the_right_sides(tech_sport, tech_sport_result):
    a, b = tech_sport
    for h in tech_sport_result.top(3):
        fav, other = (a, b) if h.direction == "A" else (b, a)
        assert h.examples_for and all(any(e.rstrip("…") in " ".join(t.split()) for t in fav)
                                      for e in h.examples_for)
        assert all(any(e.rstrip("…") in " ".join(t.split()) for t in other)
                   for e in h.examples_against)


def test_json_round_trip_keeps_every_field(tech_sport_result, tmp_path):
    path = tech_sport_result.save(tmp_path / "r.json")
    data = json.loads(path.read_text())
    assert data["schema"] == "wordlens.diff/1"
    for key in ("hypotheses", "corpus_a", "corpus_b", "proposer", "judge", "seed", "timing",
                "verification", "definitions", "settings"):
        assert key in data
    again = DiffResult.load(path)
    assert again.to_dict() == tech_sport_result.to_dict()


def test_user_hypotheses_are_tested_without_proposing(tech_sport, encoder):
    r = wordlens.diff(*tech_sport, hypotheses=["is about sports, athletes or matches",
                                               Hypothesis("q", form={"kind": "property",
                                                                     "name": "question"})])
    assert r.proposer["name"] == "given by the user" and len(r.hypotheses) == 2
    assert r.hypotheses[0].hypothesis.startswith("is about sports")


def test_too_few_texts_is_a_clear_error():
    with pytest.raises(InputError, match=r"corpus A .*3 texts; .* at least 10"):
        wordlens.diff(["a", "b", "c"], ["x"] * 20)


def test_seed_makes_runs_reproducible(tech_sport, encoder):
    r1 = wordlens.diff(*tech_sport, seed=5, hypotheses=["is about sports, athletes or matches"])
    r2 = wordlens.diff(*tech_sport, seed=5, hypotheses=["is about sports, athletes or matches"])
    assert r1.hypotheses[0].p_value == r2.hypotheses[0].p_value
