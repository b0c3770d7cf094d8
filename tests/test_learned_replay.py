import json

import numpy as np
import pytest

from wordlens.cli.main import main
from wordlens.errors import InputError
from wordlens.judges.features import FeatureJudge
from wordlens.learned.bank import Bank, property_hypotheses
from wordlens.learned.replay import (
    append_replay,
    expert_iteration,
    load_replay,
    record_from_search,
    replay_examples,
)
from wordlens.learned.search import verify_all
from wordlens.learned.synthetic import Difficulty, ForwardSampler
from wordlens.proposers.learned.model import LearnedProposer

from .conftest import ROOT, read_jsonl

EX = ROOT / "examples" / "amazon_reviews"


@pytest.fixture(scope="module")
def setup(datasets, encoder):
    texts = (read_jsonl(datasets / "tweets_vs_movie" / "a.jsonl", limit=200)
             + read_jsonl(datasets / "amazon_pos_vs_neg" / "a.jsonl", limit=200))
    bank = Bank(tuple(property_hypotheses()))
    s = ForwardSampler(bank, FeatureJudge()).fit(texts)
    return bank, s


def test_search_records_round_trip_and_become_training_targets(setup, tmp_path, encoder):
    bank, s = setup
    p = s.sample(1, Difficulty(n_a=40, n_b=40), seed=0)[0]
    search = verify_all(list(bank), p.a, p.b, FeatureJudge())
    assert search.judge_calls == len(bank) * 80
    assert search.hypotheses[search.order[0]].key == p.target.key
    rec = record_from_search(search, p.a, p.b, encoder)
    path = tmp_path / "x.replay.jsonl"
    append_replay(path, [rec])
    append_replay(path, [rec])
    back = load_replay(path)
    assert len(back) == 2 and back[0].winners == rec.winners
    assert back[0].winners[0]["text"] == p.target.text
    ex, hyps = replay_examples(path)
    assert max(ex[0].targets, key=ex[0].targets.get) == p.target.key
    assert sum(ex[0].targets.values()) == pytest.approx(1.0)
    np.testing.assert_allclose(ex[0].summary.mean_a, rec.mean_a, atol=1e-5)


def test_bad_replay_line_names_file_and_line(tmp_path):
    path = tmp_path / "r.replay.jsonl"
    path.write_text('{"format": "wordlens.replay/1"\n')
    with pytest.raises(InputError, match="r.replay.jsonl:1: malformed JSON"):
        load_replay(path)
    path.write_text('{"format": "other"}\n')
    with pytest.raises(InputError, match=":1: not a replay record"):
        load_replay(path)


def test_expert_iteration_reports_recall_per_iteration(setup, encoder):
    bank, s = setup
    d = Difficulty(n_a=30, n_b=30)
    base = []
    rounds = [[(p.a, p.b) for p in s.sample(3, d, seed=10 + t)] for t in range(2)]
    held = [(p.a, p.b) for p in s.sample(3, d, seed=99)]

    def fit(examples, extra):
        return LearnedProposer(bank, encoder=encoder, epochs=10).fit(
            examples or _dummy(s, encoder), extra_hypotheses=extra)

    reports = expert_iteration(fit, base, rounds, held, list(bank), FeatureJudge(),
                               encoder=encoder, k=5)
    assert [r.iteration for r in reports] == [0, 1, 2]
    assert [r.n_replay_records for r in reports] == [0, 3, 6]
    assert all(0 <= r.recall_vs_search <= 1 for r in reports)


def _dummy(s, encoder):
    from wordlens.learned.training import problem_examples

    return problem_examples(s.sample(2, Difficulty(n_a=20, n_b=20), seed=5), s, encoder)


def test_diff_cli_appends_winners_to_replay(capsys, tmp_path, encoder):
    path = tmp_path / "runs.replay.jsonl"
    code = main(["diff", str(EX / "positive.jsonl"), str(EX / "negative.jsonl"),
                 "--max-texts", "80", "--show", "0", "--replay", str(path)])
    assert code == 0, capsys.readouterr().err
    recs = load_replay(path)
    assert len(recs) == 1 and recs[0].winners and recs[0].n_a == 80
    assert all(w["q_value"] < 0.05 for w in recs[0].winners)
    line = json.loads(path.read_text().splitlines()[0])
    assert len(line["mean_a"]) == 384


def test_fit_starts_property_sketch_weights_at_the_data_driven_prior(setup, encoder):
    from wordlens.learned.training import problem_examples, sketch_prior_from

    bank, s = setup
    prior = sketch_prior_from([s])
    assert prior
    ex = problem_examples(s.sample(4, Difficulty(n_a=20, n_b=20), seed=3), s, encoder)
    m = LearnedProposer(bank, encoder=encoder, epochs=1).fit(ex, sketch_prior=prior)
    no_prior = LearnedProposer(bank, encoder=encoder, epochs=1).fit(ex)
    assert not no_prior.hyp_prior_.any()
    idx = m.bank_.index()

    def cos(u, v):
        return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))

    for key, v in prior.items():
        np.testing.assert_allclose(m.hyp_prior_[idx[key]], v, atol=1e-6)
        # after one small step the weights still point along the prior (plus init noise);
        # without it they are noise, unrelated to it
        assert cos(m.params_["Y"][idx[key]], v) > 0.6
        assert abs(cos(no_prior.params_["Y"][idx[key]], v)) < 0.3


def test_replay_targets_soften_with_temperature_and_carry_the_weight():
    from wordlens.learned.replay import ReplayRecord

    wins = [{"text": "asks a question", "validity": 0.5, "q_value": 0.001},
            {"text": "uses the word 'film'", "validity": -0.3, "q_value": 0.01}]
    rec = ReplayRecord([0.0] * 4, [1.0] * 4, [0.0] * 3, [0.0] * 3, 10, 10, wins)
    (sharp,), _ = replay_examples([rec], temperature=0.05)
    (soft,), hyps = replay_examples([rec], temperature=10.0, weight=1.0)
    assert [h.text for h in hyps] == ["asks a question", "uses the word 'film'"]
    assert sharp.targets["asks a question"] > 0.98
    assert 0.5 < soft.targets["asks a question"] < 0.52
    assert sharp.weight == 3.0 and soft.weight == 1.0
