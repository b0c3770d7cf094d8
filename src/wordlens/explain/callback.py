"""A Hugging Face ``transformers`` TrainerCallback that explains the model at each evaluation.

Importing this module imports ``transformers`` (an optional extra:
``pip install 'wordlens[transformers]'``); the rest of wordlens never does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import BackendError, WordlensError

try:
    from transformers import TrainerCallback
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise BackendError("ExplainCallback needs transformers: pip install "
                       "'wordlens[transformers]'") from exc

logger = logging.getLogger("wordlens.explain")

PREFIX = "eval_wordlens_"


class ExplainCallback(TrainerCallback):
    """At every evaluation, predict ``texts`` with the model being trained, run
    :func:`wordlens.explain.explain` on them, and log "% explained" and the top hypotheses.

    Parameters
    ----------
    texts, labels:
        The evaluation texts and (optionally) their gold labels.
    predict_fn:
        ``predict_fn(model, texts) -> [N x C] probabilities``; by default the model is run on
        the texts tokenized by the trainer's tokenizer (``processing_class``).
    top:
        How many hypotheses to log.
    explain_kwargs:
        Passed to :func:`explain` (``judge``, ``proposer``, ``hypotheses``, ``max_texts``...).

    Each explanation is kept in ``results_`` and one record per evaluation is appended to
    ``state.log_history``: ``eval_wordlens_percent_explained`` (accuracy-based, with gold
    labels), ``eval_wordlens_percent_predictions_explained`` (fidelity-based),
    ``eval_wordlens_fidelity`` and ``eval_wordlens_top_hypotheses``.
    """

    def __init__(self, texts: Sequence[str], labels: Sequence[Any] | None = None, *,
                 predict_fn: Callable[[Any, list[str]], Any] | None = None, top: int = 3,
                 batch_size: int = 32, **explain_kwargs: Any):
        self.texts = list(texts)
        self.labels = None if labels is None else list(labels)
        self.predict_fn = predict_fn
        self.top = top
        self.batch_size = batch_size
        self.explain_kwargs = explain_kwargs
        self.results_: list[Any] = []

    def on_evaluate(self, args, state, control, model=None, **kwargs):
        from .explainer import explain

        tokenizer = kwargs.get("processing_class") or kwargs.get("tokenizer")
        record: dict[str, Any] = {"step": state.global_step}
        try:
            proba = self._predict(model, tokenizer)
            result = explain(self.texts, proba, self.labels, **self.explain_kwargs)
        except WordlensError as exc:
            record[PREFIX + "error"] = str(exc)
            logger.warning("wordlens explain skipped at step %s: %s", state.global_step, exc)
            state.log_history.append(record)
            return control
        self.results_.append(result)
        record.update(summary(result, self.top))
        state.log_history.append(record)
        logger.info("wordlens explain at step %s: %s", state.global_step, record)
        return control

    def _predict(self, model, tokenizer) -> np.ndarray:
        if self.predict_fn is not None:
            return np.asarray(self.predict_fn(model, self.texts), dtype=float)
        if model is None or tokenizer is None:
            raise BackendError("ExplainCallback needs the trainer's model and tokenizer "
                               "(processing_class), or predict_fn")
        import torch

        was_training = model.training
        model.eval()
        out = []
        device = next(model.parameters()).device
        with torch.no_grad():
            for i in range(0, len(self.texts), self.batch_size):
                batch = tokenizer(self.texts[i:i + self.batch_size], padding=True,
                                  truncation=True, return_tensors="pt").to(device)
                logits = model(**batch).logits
                out.append(torch.softmax(logits.float(), dim=-1).cpu().numpy())
        if was_training:
            model.train()
        return np.concatenate(out, axis=0)


def summary(result: Any, top: int = 3) -> dict[str, Any]:
    """The numbers the callback logs, averaged over classes in a one-vs-rest explanation."""
    def mean(key: str) -> float | None:
        vals = [e.overall.get(key) for e in result.explanations]
        vals = [v for v in vals if v is not None]
        return round(float(np.mean(vals)), 2) if vals else None

    return {
        PREFIX + "percent_explained": mean("percent_explained"),
        PREFIX + "percent_predictions_explained": mean("percent_predictions_explained"),
        PREFIX + "fidelity": mean("fidelity"),
        PREFIX + "top_hypotheses": [h.hypothesis for e in result.explanations
                                    for h in e.hypotheses[:top]],
        PREFIX + "definition": "percent_explained = 100 * (surrogate accuracy - majority-class "
                               "accuracy) / (model accuracy - majority-class accuracy) on the "
                               "callback's texts; percent_predictions_explained = 100 * "
                               "(fidelity - majority-prediction fidelity) / (1 - that)",
    }
