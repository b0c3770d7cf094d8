"""The transformers TrainerCallback, with a tiny BERT built from a config (no download)."""

from __future__ import annotations

import pytest

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")


def _data():
    texts, labels = [], []
    for i in range(48):
        if i % 2:
            texts.append(f"excellent product number {i}")
            labels.append(1)
        else:
            texts.append(f"broken product number {i}")
            labels.append(0)
    return texts, labels


class _Dataset(torch.utils.data.Dataset):
    def __init__(self, enc, labels):
        self.enc, self.labels = enc, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        item = {k: v[i] for k, v in self.enc.items()}
        item["labels"] = torch.tensor(self.labels[i])
        return item


@pytest.mark.slow
def test_callback_logs_percent_explained_and_top_hypotheses(tmp_path, encoder):
    from transformers import (
        AutoTokenizer,
        BertConfig,
        BertForSequenceClassification,
        Trainer,
        TrainingArguments,
    )

    from wordlens.encoders import bundled_minilm_path
    from wordlens.explain.callback import PREFIX, ExplainCallback
    from wordlens.judges.offline import OfflineJudge

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(str(bundled_minilm_path()))
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, num_labels=2,
                        max_position_embeddings=64)
    model = BertForSequenceClassification(config)
    texts, labels = _data()
    ds = _Dataset(tok(texts, padding=True, truncation=True, max_length=16,
                      return_tensors="pt"), labels)
    cb = ExplainCallback(texts, labels, judge=OfflineJudge(encoder), max_hypotheses=2,
                         hypotheses=["uses the word 'excellent'", "is about food"])
    args = TrainingArguments(output_dir=str(tmp_path), num_train_epochs=4,
                             per_device_train_batch_size=8, learning_rate=5e-3,
                             eval_strategy="epoch", logging_strategy="no", save_strategy="no",
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=ds, eval_dataset=ds,
                      processing_class=tok, callbacks=[cb])
    trainer.train()
    records = [r for r in trainer.state.log_history
               if any(k.startswith(PREFIX) for k in r)]
    assert len(records) == 4
    last = records[-1]
    assert PREFIX + "error" not in last, last
    assert last[PREFIX + "top_hypotheses"][0] == "uses the word 'excellent'"
    assert last[PREFIX + "percent_explained"] is not None
    assert last[PREFIX + "fidelity"] >= 0.9
    assert len(cb.results_) >= 1 and "majority" in last[PREFIX + "definition"]
