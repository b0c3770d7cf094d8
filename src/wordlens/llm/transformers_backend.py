"""Transport over a local Hugging Face `transformers` causal LM (a folder or a .gguf file).

Decoding is greedy (temperature is ignored and stated in `describe`); the log-probabilities
of the most likely next tokens are computed at the first generated positions, so the judge
gets yes/no probabilities as from an API with logprobs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..errors import BackendError
from .client import ChatReply
from .spec import ModelSpec


class TransformersTransport:
    default_concurrency = 1

    def __init__(self, spec: ModelSpec, *, device: str = "cpu", max_input_tokens: int = 2048):
        self.spec = spec
        self.device = device
        self.max_input_tokens = max_input_tokens
        self.cache_name = "transformers:" + Path(spec.model).name
        self.chat_template_used: bool | None = None
        self._model = None
        self._tok = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._model is not None:
            return
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise BackendError("transformers is not installed: "
                               "pip install 'wordlens[transformers]'") from None
        path = Path(self.spec.model)
        kw: dict[str, Any] = {"local_files_only": True}
        if path.is_file() and path.suffix == ".gguf":
            src, kw["gguf_file"] = str(path.parent), path.name
        else:
            src = str(path)
        try:
            self._tok = AutoTokenizer.from_pretrained(src, **kw)
            self._model = AutoModelForCausalLM.from_pretrained(src, **kw).to(self.device)
        except Exception as exc:  # missing files, unknown architecture, ...
            raise BackendError(f"transformers:{path}: cannot load the model "
                               f"({type(exc).__name__}: {str(exc)[:200]})") from None
        self._model.eval()

    def _prompt_ids(self, messages: list[dict[str, str]]):
        tok = self._tok
        if getattr(tok, "chat_template", None):
            self.chat_template_used = True
            ids = tok.apply_chat_template(messages, add_generation_prompt=True,
                                          return_dict=True, return_tensors="pt")["input_ids"]
        else:  # no template in the tokenizer: a plain role-prefixed transcript
            self.chat_template_used = False
            text = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant:"
            ids = tok(text, return_tensors="pt")["input_ids"]
        return ids[:, -self.max_input_tokens:]

    def complete(self, request: dict[str, Any]) -> ChatReply:
        import torch

        with self._lock:
            self._load()
            ids = self._prompt_ids(request["messages"]).to(self.device)
            tok, model = self._tok, self._model
            pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
            with torch.no_grad():
                out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                     max_new_tokens=max(1, int(request["max_tokens"])),
                                     do_sample=False, output_scores=True,
                                     return_dict_in_generate=True, pad_token_id=pad)
            new = out.sequences[0, ids.shape[1]:]
            eos = tok.eos_token_id
            n_out = len(new)
            if eos is not None and (new == eos).any():
                n_out = int((new == eos).nonzero()[0, 0])
            text = tok.decode(new[:n_out], skip_special_tokens=True)
            top = None
            if request.get("logprobs"):
                # at least 20 candidates, so that both yes and no are seen when plausible
                k = max(20, int(request.get("top_logprobs") or 10))
                top = []
                for scores in out.scores[:4]:
                    lp = torch.log_softmax(scores[0].float(), dim=-1)
                    vals, idx = lp.topk(min(k, lp.shape[-1]))
                    cand: dict[str, float] = {}
                    for v, i in zip(vals.tolist(), idx.tolist()):
                        t = tok.decode([i])
                        cand[t] = max(cand.get(t, -1e9), v)
                    top.append(cand)
        return ChatReply(text, top, int(ids.shape[1]), int(n_out))

    def is_transient(self, exc: BaseException) -> bool:
        return False
