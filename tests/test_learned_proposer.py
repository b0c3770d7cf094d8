import numpy as np
import pytest

from wordlens.errors import InputError, NotFittedError
from wordlens.judges.offline import OfflineJudge
from wordlens.learned.bank import build_bank
from wordlens.learned.evaluate import compare_methods, evaluate_synthetic
from wordlens.learned.synthetic import Difficulty, ForwardSampler
from wordlens.learned.training import problem_examples
from wordlens.proposers.learned.model import LearnedProposer, summarize

from .conftest import read_jsonl

# one small training run (about a minute on 2 cores) shared by the module
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(datasets, encoder):
    """Trained on small slices of amazon and tweets; movie sentences are held out."""
    bank = build_bank()
    judge = OfflineJudge(encoder)
    examples = []
    for j, (pair, side) in enumerate((("amazon_pos_vs_neg", "a"), ("amazon_pos_vs_neg", "b"),
                                      ("tweets_vs_movie", "a"))):
        texts = read_jsonl(datasets / pair / f"{side}.jsonl", limit=200)
        s = ForwardSampler(bank, judge).fit(texts, name=f"{pair}/{side}")
        probs = s.sample(60, Difficulty(n_a=40, n_b=40, purity=0.9), seed=j)
        examples += problem_examples(probs, s, encoder)
    model = LearnedProposer(bank, encoder=encoder, epochs=40, seed=0).fit(examples)
    held = read_jsonl(datasets / "movie_pos_vs_neg" / "a.jsonl", limit=200) + read_jsonl(
        datasets / "movie_pos_vs_neg" / "b.jsonl", limit=200)
    heldout = ForwardSampler(bank, judge).fit(held, name="movie")
    return model, heldout, judge


def test_learned_proposer_beats_random_ranking_on_held_out_real_texts(trained):
    model, heldout, judge = trained
    probs = heldout.sample(16, Difficulty(n_a=40, n_b=40, purity=0.9), seed=7)
    ev = evaluate_synthetic(model, probs, judge, k=10)
    # random recall@10 is about 10 / |bank|; the learned ranking must be far above it
    assert ev.random.recall[10] < 0.25
    assert ev.learned.recall[10] >= ev.random.recall[10] + 0.3
    assert ev.exhaustive.recall[10] >= ev.learned.recall[10] - 0.05
    assert ev.call_ratio == pytest.approx(len(model.bank_) / 10)


def test_learned_proposer_finds_a_true_hypothesis_of_a_real_pair(trained, datasets):
    model, _, judge = trained
    a = read_jsonl(datasets / "tweets_vs_movie" / "a.jsonl", limit=60)
    b = read_jsonl(datasets / "tweets_vs_movie" / "b.jsonl", limit=60)
    from wordlens.learned.evaluate import true_hypotheses

    truth = true_hypotheses(model.bank_, ["is a personal social-media post rather than a film "
                                          "review"], a, b, judge)
    assert truth
    ev = compare_methods(model, [(a, b)], [truth], judge, name="real", k=10)
    assert ev.learned.recall[10] == 1.0
    assert ev.per_problem[0]["rank_learned"] < ev.per_problem[0]["rank_exhaustive"] + 10


def test_save_load_round_trip_gives_identical_rankings(trained, tmp_path, encoder):
    model, heldout, _ = trained
    p = heldout.sample(1, Difficulty(n_a=30, n_b=30), seed=0)[0]
    model.save(tmp_path / "m")
    again = LearnedProposer.load(tmp_path / "m", encoder=encoder)
    s1 = model.score_summary(summarize(p.a, p.b, encoder))
    s2 = again.score_summary(summarize(p.a, p.b, encoder))
    np.testing.assert_allclose(s1, s2, rtol=1e-5, atol=1e-5)
    assert [h.key for h in again.propose(p.a, p.b)] == [h.key for h in model.propose(p.a, p.b)]
    assert again.bank_.keys == model.bank_.keys and len(again.propose(p.a, p.b)) == 10


def test_load_and_fit_errors_are_clear(tmp_path):
    with pytest.raises(InputError, match="not a learned proposer folder"):
        LearnedProposer.load(tmp_path)
    with pytest.raises(NotFittedError):
        LearnedProposer(build_bank()).propose(["a b"] * 3, ["c d"] * 3)
    with pytest.raises(InputError, match="no training examples"):
        LearnedProposer(build_bank()).fit([])


def test_registry_builds_learned_alone_and_combined(trained, tmp_path):
    from wordlens.proposers.offline import OfflineProposer
    from wordlens.registry import make_proposer

    model, _, _ = trained
    model.save(tmp_path / "m")
    assert isinstance(make_proposer(f"learned:{tmp_path / 'm'}"), LearnedProposer)
    combo = make_proposer(f"offline+learned:{tmp_path / 'm'}")
    assert isinstance(combo, OfflineProposer)
    assert any(isinstance(s, LearnedProposer) for s in combo.sources)
    with pytest.raises(InputError, match="learned:PATH"):
        make_proposer("learned")
    # the spec the registry builds keeps the proposer contract (wordlens.testing)
    from wordlens.testing import check_proposer

    assert len(check_proposer(make_proposer(f"learned:{tmp_path / 'm'}"))) == 10
