import numpy as np
import pytest

from wordlens.errors import InputError, NotFittedError
from wordlens.judges.features import FeatureJudge
from wordlens.learned.bank import Bank, build_bank, load_bank_file, property_hypotheses
from wordlens.learned.synthetic import Difficulty, ForwardSampler

from .conftest import read_jsonl


@pytest.fixture(scope="module")
def sampler(datasets):
    texts = (read_jsonl(datasets / "tweets_vs_movie" / "a.jsonl", limit=250)
             + read_jsonl(datasets / "amazon_pos_vs_neg" / "b.jsonl", limit=250))
    bank = Bank(tuple(property_hypotheses()))
    return ForwardSampler(bank, FeatureJudge()).fit(texts, name="slice")


def test_same_seed_gives_same_problems_and_other_seed_differs(sampler):
    d = Difficulty(n_a=40, n_b=50, purity=0.8, n_distractors=2)
    p1, p2 = sampler.sample(5, d, seed=3), sampler.sample(5, d, seed=3)
    for x, y in zip(p1, p2):
        assert x.target_index == y.target_index and x.a == y.a and x.b == y.b
    # problem i depends on (seed, i) only, not on how many were asked for
    assert sampler.sample(2, d, seed=3)[1].a == p1[1].a
    other = sampler.sample(5, d, seed=4)
    assert any(x.a != y.a for x, y in zip(p1, other))


@pytest.mark.parametrize("purity", [1.0, 0.7, 0.5])
def test_purity_and_sizes_are_what_was_asked(sampler, purity):
    d = Difficulty(n_a=40, n_b=60, purity=purity)
    for p in sampler.sample(6, d, seed=1):
        holds = sampler.holds_[p.target_index]
        assert len(p.a) == 40 and len(p.b) == 60
        assert holds[p.a_idx].sum() == round(purity * 40)
        assert holds[p.b_idx].sum() == 0  # B: texts where the answer does not hold
        assert not set(p.a_idx) & set(p.b_idx)
        assert p.a == [sampler.texts_[i] for i in p.a_idx]


def test_distractors_are_common_on_both_sides_and_do_not_differ(sampler):
    d = Difficulty(n_a=40, n_b=40, purity=1.0, n_distractors=2, distractor_share=0.8)
    base = Difficulty(n_a=40, n_b=40, purity=1.0)
    with_d = sampler.sample(8, d, seed=2)
    for p in with_d:
        assert len(p.distractors) == 2 and p.target_index not in p.distractors
        # most texts on both sides carry a distractor, far above its corpus rate
        assert p.stats["distractor_share_a"] >= 0.7 and p.stats["distractor_share_b"] >= 0.7
        rate = sampler.holds_[p.distractors].any(axis=0).mean()
        assert p.stats["distractor_share_b"] > rate
        v = sampler.validities(p)
        assert abs(v[p.target_index]) > max(abs(v[g]) for g in p.distractors)
    assert all(not p.distractors for p in sampler.sample(3, base, seed=2))


def test_validities_equal_judge_shares(sampler):
    p = sampler.sample(1, Difficulty(n_a=30, n_b=30, purity=0.9), seed=0)[0]
    v = sampler.validities(p)
    assert v[p.target_index] == pytest.approx(p.stats["share_a"] - p.stats["share_b"])
    j = FeatureJudge().judge([p.target], p.a + p.b)[0]
    assert j[:30].mean() - j[30:].mean() == pytest.approx(v[p.target_index])


def test_bad_difficulty_and_unfitted_sampler_fail_clearly(sampler):
    with pytest.raises(InputError, match="purity"):
        Difficulty(purity=0)
    with pytest.raises(NotFittedError):
        ForwardSampler(sampler.bank).sample(1)
    with pytest.raises(InputError, match="no bank hypothesis"):
        sampler.sample(1, Difficulty(n_a=400, n_b=400))


def test_bank_merges_sources_and_reports_bad_lines(tmp_path):
    bank = build_bank()
    assert len(bank) > 100 and len(set(bank.keys)) == len(bank)
    f = tmp_path / "mine.txt"
    f.write_text("# comment\nmentions a dog\n\nmentions a dog\n")
    assert len(build_bank([f])) == len(bank) + 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"form": 1}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        load_bank_file(bad)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9 talk\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.txt: cannot decode bytes as utf-8 \(byte 3\)"):
        load_bank_file(latin)
    assert np.all([h.form for h in property_hypotheses()])


def test_sketch_has_contraction_words_for_keyword_hypotheses():
    from wordlens.proposers.learned.sketch import feature_index, keyword_vector, sketch

    x = sketch(["It's fine, I'm sure.", "It is fine."])
    i = feature_index("w:it's")
    assert x[0, i] == 1.0 and x[1, i] == 0.0
    assert keyword_vector(["it's"])[i] == 1.0


def test_sketch_prior_rests_a_property_on_its_surface_marker(sampler):
    from wordlens.learned.training import sketch_prior_from
    from wordlens.proposers.learned.sketch import feature_index

    prior = sketch_prior_from([sampler])
    question = next(h for h in sampler.bank if "question" in h.text)
    v = prior[question.key]
    assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-5)
    # the '?' feature separates texts that ask a question from the rest more than any other
    assert int(np.argmax(v)) == feature_index("c:?")
    assert all((h.form or {}).get("kind") == "property" for h in sampler.bank
               if h.key in prior)
