"""Opt-in: a real llama.cpp server end to end. Builds and starts nothing itself.

    python -m llama_cpp.server --model SmolLM2-135M-Instruct.Q4_1.gguf --n_ctx 2048 --port 8799
    WORDLENS_LLAMA_SERVER_URL=http://127.0.0.1:8799/v1 pytest -q tests/test_llm_llamacpp.py
"""

import json
import os

import numpy as np
import pytest

from wordlens.hypothesis import Hypothesis
from wordlens.judges.llm import build_judge

from .conftest import ROOT

URL = os.environ.get("WORDLENS_LLAMA_SERVER_URL")
MODEL = "openai-compatible:" + os.environ.get("WORDLENS_LLAMA_MODEL", "smollm2")
pytestmark = pytest.mark.skipif(
    not URL, reason="opt-in: set WORDLENS_LLAMA_SERVER_URL to a running llama.cpp server's "
                    "/v1 URL (see docs/guide/llm.md, 'The same model behind a llama.cpp server')")
TEXTS = ["The team won the cup final after extra time.", "This blender broke in two days.",
         "I love this phone, the screen is great.", "Delivery was late and the box was torn."]
HYPS = [Hypothesis("is about sports"), Hypothesis("complains about a product")]


def test_one_text_per_call_reads_soft_probabilities_from_logprobs(tmp_path):
    j = build_judge(MODEL, base_url=URL, batch_size=1, cache_dir=tmp_path)
    m = j.judge(HYPS, TEXTS)
    d = j.describe()
    assert d["from_logprobs"] == m.size and d["usage"]["calls"] == m.size
    assert ((m > 0) & (m < 1)).all() and len(np.unique(m)) > 1


@pytest.mark.parametrize("kw", [{"batch_size": 4}, {"hypotheses_per_call": 2}])
def test_batched_replies_are_checked_and_every_item_gets_an_answer(tmp_path, kw):
    j = build_judge(MODEL, base_url=URL, cache_dir=tmp_path, **kw)
    m = j.judge(HYPS, TEXTS)
    d = j.describe()
    assert m.shape == (2, 4) and d["judged"] == m.size
    # what a batched reply did not answer properly was asked again one pair at a time
    assert d["from_logprobs"] + d["from_parsed_answers"] + d["unparsed_answers_as_0.5"] == 8


def test_diff_cli_reports_the_judge_controls(tmp_path, capsys):
    from wordlens.cli.main import main

    ex = ROOT / "examples" / "amazon_reviews"
    (tmp_path / "h.txt").write_text("is about sports\n")
    out = tmp_path / "r.json"
    code = main(["diff", str(ex / "positive.jsonl"), str(ex / "negative.jsonl"),
                 "--model", MODEL, "--base-url", URL, "--hypotheses", str(tmp_path / "h.txt"),
                 "--max-texts", "12", "--judge-batch", "1", "--cache-dir", str(tmp_path / "c"),
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text())
    kinds = [c["kind"] for c in data["judge_controls"]["controls"]]
    assert kinds == ["placebo_every_text", "placebo_no_text", "role_swap"]
    assert data["judge_controls"]["p_yes"]["n"] > 0
