"""diff --fast end to end on the example reviews: static text encoder, streamed statistics,
notes that say what it trades, and a judge light enough to ship to workers."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from wordlens.cli.main import main
from wordlens.diff import diff
from wordlens.hypothesis import Hypothesis
from wordlens.judges.fast import FastJudge
from wordlens.result import DiffResult

EX = Path(__file__).resolve().parents[1] / "examples" / "amazon_reviews"

pytestmark = pytest.mark.slow  # fits a static encoder (builds its token table when cold)


@pytest.fixture(scope="module")
def fast_result():
    return diff(EX / "positive.jsonl", EX / "negative.jsonl", fast=True, max_texts=120, seed=0)


def test_fast_diff_states_what_it_trades(fast_result):
    notes = " ".join(fast_result.notes)
    assert "static token-table" in notes and "sufficient statistics" in notes
    assert fast_result.settings["fast"] is True
    assert fast_result.settings["engine"]["name"] == "in-process"
    assert "static" in fast_result.judge["text_encoder"]
    assert fast_result.timing["fast_setup_s"] > 0
    top = fast_result.top(5)
    assert top and all(h.examples_for for h in top)
    # the reviews differ in sentiment; --fast still finds it
    assert any("sentiment" in h.hypothesis and h.significant for h in fast_result.top(10))


def test_fast_judge_ships_without_the_model_and_judges_the_same(fast_result):
    from wordlens.encoders import default_encoder
    from wordlens.encoders.static import StaticTextEncoder

    texts = [r.examples_for[0] for r in fast_result.hypotheses if r.examples_for][:20]
    enc = default_encoder()
    judge = FastJudge(StaticTextEncoder(enc, epochs=0).fit(texts), enc)
    hyps = [Hypothesis("is about sports"), Hypothesis("asks a question", form={
        "kind": "property", "name": "question"})]
    before = judge.judge(hyps, texts)
    back = pickle.loads(pickle.dumps(judge))
    np.testing.assert_allclose(back.judge(hyps, texts), before, atol=1e-6)
    assert back.encoder._model is None  # hypotheses and references came with it, encoded


def test_cli_fast_writes_result(tmp_path):
    out = tmp_path / "r.json"
    code = main(["diff", str(EX / "positive.jsonl"), str(EX / "negative.jsonl"), "--fast",
                 "--max-texts", "60", "--out", str(out)])
    assert code == 0
    assert DiffResult.load(out).settings["fast"] is True


def test_cli_unknown_engine_is_one_line_error(tmp_path, capsys):
    code = main(["diff", str(EX / "positive.jsonl"), str(EX / "negative.jsonl"), "--engine",
                 "spark", "--out", str(tmp_path / "r.json")])
    assert code == 2
    assert "--engine: unknown engine 'spark'" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()
