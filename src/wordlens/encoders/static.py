"""A static-embedding text encoder distilled from a sentence encoder.

Encoding a text is a table lookup and a mean: no transformer pass, so it is hundreds of times
faster than the encoder it imitates. The recipe follows model2vec and tokenlearn:

1. every vocabulary token is passed once through the sentence encoder (``[CLS] tok [SEP]``,
   mean pooled): the initial table (cached per encoder);
2. the table and a linear map are fine-tuned so that the normalised mean of a text's token
   rows matches the encoder's embedding of that text (cosine loss) on the texts given to
   :meth:`StaticTextEncoder.fit`.

The result is an approximation (cosine ~0.8 to the encoder's embedding on held-out texts of
the shared datasets); the distillation report measures what it costs in agreement.
(model2vec's own ``distill`` extra pins an older ``transformers``; the two steps above are
the part of it this needs.)
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import InputError, NotFittedError
from .minilm import SentenceEncoder, bundled_minilm_path, default_encoder

_TOKEN_BATCH = 2048
_MAX_CACHED_CHUNKS = 1_000_000
_CHARS_PER_TOKEN = 16  # a long text's first n tokens are looked for in its first 16 n chars
# whitespace as BERT-style tokenizers split on it (tab, newline, return, Unicode Zs): a subset
# of their split points, so tokenizing chunk by chunk gives the same tokens
_WHITESPACE_SPLITTERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit"}
_WHITESPACE = re.compile("[\t\n\r \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


class StaticTextEncoder:
    """Texts -> unit vectors from a static token table (numpy + ``tokenizers`` at use time).

    Parameters
    ----------
    encoder: the sentence encoder to imitate (default: the shipped all-MiniLM-L6-v2).
    max_tokens: tokens read per text (the encoder's own ``max_seq_length`` by default).
    epochs, lr, batch_size: fine-tuning settings (torch, CPU).
    min_steps: at least this many optimiser steps (more epochs on small corpora).
    seed: seed of the fine-tuning order.
    """

    def __init__(self, encoder: SentenceEncoder | None = None, *, max_tokens: int | None = None,
                 epochs: int = 10, lr: float = 1e-3, batch_size: int = 128,
                 min_steps: int = 500, seed: int = 0):
        self.encoder = encoder
        self.max_tokens = max_tokens
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.min_steps = min_steps
        self.seed = seed

    @property
    def name(self) -> str:
        """``static (distilled from <sentence encoder>)``."""
        return f"static (distilled from {(self.encoder or default_encoder()).name})"

    @property
    def dimension(self) -> int:
        """Length of the vectors (once fitted or loaded)."""
        if getattr(self, "map_", None) is None:
            raise NotFittedError("StaticTextEncoder is not fitted; call fit() or load()")
        return int(self.map_[0].shape[1])

    def is_fitted(self) -> bool:
        """True once the table is fitted or loaded."""
        return getattr(self, "table_", None) is not None

    # ---- tokenisation ---------------------------------------------------------------
    def _model_path(self) -> Path:
        enc = self.encoder
        return Path(enc.model_path) if enc is not None and enc.model_path else \
            bundled_minilm_path()

    def _tokenizer(self):
        """The encoder's own tokenizer, special tokens and truncation switched off: it is
        applied to whitespace-separated chunks (see :meth:`token_ids`)."""
        if getattr(self, "tokenizer_", None) is None:
            from tokenizers import Tokenizer

            path = self._model_path() / "tokenizer.json"
            if not path.exists():
                raise InputError(f"{path}: the static text encoder needs the encoder's "
                                 "tokenizer.json")
            tok = Tokenizer.from_file(str(path))
            tok.no_padding()
            tok.no_truncation()
            self.tokenizer_ = tok
            self.chunk_ids_: dict[str, list[int]] = {"": []}
            # special tokens around a text ([CLS] ... [SEP] for BERT), found from a probe
            content = tok.encode("a", add_special_tokens=False).ids
            full = tok.encode("a", add_special_tokens=True).ids
            at = next(i for i in range(len(full)) if full[i:i + len(content)] == content)
            self.special_ids_ = (full[:at], full[at + len(content):])
            # chunk by chunk is exact only where whitespace always separates tokens
            self.chunked_ = type(tok.pre_tokenizer).__name__ in _WHITESPACE_SPLITTERS
        return self.tokenizer_

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, special tokens included and truncated as the encoder
        reads it (``max_tokens``).

        Identical to the tokenizer's output on the whole text, but cached per
        whitespace-separated chunk: BERT-style tokenizers never join tokens across
        whitespace, so each distinct chunk is tokenized once and later texts are dictionary
        lookups (several times faster than tokenizing every text).
        """
        tok = self._tokenizer()
        cache = self.chunk_ids_
        if len(cache) > _MAX_CACHED_CHUNKS:
            cache.clear()
            cache[""] = []
        limit = int(self.max_tokens or (self.encoder.max_seq_length if self.encoder else 128))
        head, tail = self.special_ids_
        room = limit - len(head) - len(tail)
        prefix = _CHARS_PER_TOKEN * limit
        if not self.chunked_:
            return [head + e.ids[:room] + tail
                    for e in tok.encode_batch_fast(list(texts), add_special_tokens=False)]
        chunked = []
        for t in texts:
            if len(t) > prefix:  # long text: its first tokens come from a prefix
                words = _WHITESPACE.split(t[:prefix])[:-1]  # last chunk may be cut
                chunked.append((words, t))
            else:
                chunked.append((_WHITESPACE.split(t), None))
        missing = list({w for words, _ in chunked for w in words if w not in cache})
        if missing:
            self._tokenize_chunks(tok, missing)
        out = []
        for words, full in chunked:
            ids = _join(cache, words, room)
            if full is not None and len(ids) < room:  # the prefix was too short after all
                words = _WHITESPACE.split(full)
                self._tokenize_chunks(tok, [w for w in set(words) if w not in cache])
                ids = _join(cache, words, room)
            out.append(head + ids[:room] + tail)
        return out

    def with_own_cache(self, keep: bool = False) -> StaticTextEncoder:
        """A copy sharing the table with its own tokenizer cache: a copy of this one's
        (``keep``) or none, the tokenizer not even loaded (for timing)."""
        other = copy.copy(self)
        if keep and getattr(self, "tokenizer_", None) is not None:
            other.chunk_ids_ = dict(self.chunk_ids_)
        else:
            other.tokenizer_ = None
        return other

    def _tokenize_chunks(self, tok, chunks: list[str]) -> None:
        if chunks:
            for w, e in zip(chunks, tok.encode_batch_fast(chunks, add_special_tokens=False)):
                self.chunk_ids_[w] = e.ids

    # ---- the initial table ----------------------------------------------------------
    def token_table(self) -> np.ndarray:
        """One row per vocabulary token: the encoder's mean-pooled output for that token
        alone. Computed once per encoder and kept in the wordlens cache folder."""
        from ..cache import default_cache_dir

        enc = self.encoder or default_encoder()
        model_path = self._model_path()
        digest = hashlib.sha256(
            (model_path / "model.safetensors").read_bytes()[:1 << 20]
            if (model_path / "model.safetensors").exists() else str(model_path).encode()
        ).hexdigest()[:16]
        cached = default_cache_dir() / f"static-table-{enc.name}-{digest}.npy"
        if cached.exists():
            return np.load(cached)
        table = _per_token_vectors(enc)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp.npy")
            np.save(tmp, table)
            tmp.replace(cached)
        except OSError:  # read-only cache folder: recompute next time
            pass
        return table

    # ---- fitting --------------------------------------------------------------------
    def fit(self, texts: Sequence[str], targets: np.ndarray | None = None) -> StaticTextEncoder:
        """Fine-tune the table so that encoded ``texts`` match ``targets`` (default: the
        sentence encoder's embeddings of ``texts``)."""
        import torch

        texts = list(texts)
        if len(texts) < 2:
            raise InputError(f"static text encoder: {len(texts)} texts; need at least 2")
        enc = self.encoder or default_encoder()
        y = enc.encode(texts) if targets is None else np.asarray(targets, np.float32)
        table = self.token_table()
        ids = self.token_ids(texts)
        per_epoch = -(-len(texts) // self.batch_size)
        epochs = max(self.epochs, -(-self.min_steps // per_epoch)) if self.epochs else 0
        self._mapped = None
        self.table_, self.map_ = _fine_tune(torch, table, ids, y, epochs, self.lr,
                                            self.batch_size, self.seed)
        self.n_fit_texts_ = len(texts)
        return self

    # ---- encoding -------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, shape [len(texts), dimension]."""
        if getattr(self, "table_", None) is None:
            raise NotFittedError("StaticTextEncoder is not fitted; call fit() or load()")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.map_[0].shape[1]), np.float32)
        from scipy.sparse import csr_matrix

        ids = [x if x else [0] for x in self.token_ids(texts)]
        lengths = np.array([len(x) for x in ids])
        flat = np.concatenate(ids)
        counts = csr_matrix((np.ones(len(flat), np.float32),
                             (np.repeat(np.arange(len(ids)), lengths), flat)),
                            shape=(len(ids), self.table_.shape[0]))
        # the mean of a text's rows, then the linear map == counts @ (table @ w) / length + b
        if getattr(self, "_mapped", None) is None:
            self._mapped = self.table_ @ self.map_[0]
        v = (counts @ self._mapped) / lengths[:, None] + self.map_[1]
        return (v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-9)).astype(np.float32)

    # ---- persistence ----------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the table (float16), the map and settings to one ``.npz`` file."""
        path = Path(path)
        tmp = path.with_name("." + path.stem + ".tmp.npz")
        np.savez(tmp, table=self.table_.astype(np.float16), w=self.map_[0], b=self.map_[1],
                 max_tokens=np.array(self.max_tokens or 0))
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path, encoder: SentenceEncoder | None = None) -> StaticTextEncoder:
        with np.load(path) as z:
            obj = cls(encoder, max_tokens=int(z["max_tokens"]) or None)
            obj.table_ = z["table"].astype(np.float32)  # stored as float16
            obj.map_ = (z["w"], z["b"])
        return obj


def _join(cache: dict[str, list[int]], words: list[str], room: int) -> list[int]:
    ids: list[int] = []
    for w in words:
        ids += cache[w]
        if len(ids) >= room:
            break
    return ids


def _per_token_vectors(enc: SentenceEncoder) -> np.ndarray:
    """Mean-pooled encoder output of ``[CLS] token [SEP]`` for every vocabulary token."""
    import torch

    model = enc.load_model()
    transformer = model[0]
    bert, tok = transformer.auto_model, transformer.tokenizer
    vocab = int(tok.vocab_size)
    cls_id, sep_id = tok.cls_token_id, tok.sep_token_id
    out = np.zeros((vocab, bert.config.hidden_size), np.float32)
    ids = torch.arange(vocab)
    with torch.inference_mode():
        for s in range(0, vocab, _TOKEN_BATCH):
            b = ids[s:s + _TOKEN_BATCH]
            inp = torch.stack([torch.full_like(b, cls_id), b, torch.full_like(b, sep_id)], 1)
            h = bert(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
            out[s:s + len(b)] = h.mean(1).numpy()
    return out


def _fine_tune(torch, table: np.ndarray, ids: list[list[int]], y: np.ndarray, epochs: int,
               lr: float, batch_size: int, seed: int) -> tuple[np.ndarray,
                                                                tuple[np.ndarray, np.ndarray]]:
    torch.manual_seed(seed)
    vocab, dim = table.shape
    emb = torch.nn.EmbeddingBag(vocab, dim, mode="mean", sparse=True)
    with torch.no_grad():
        emb.weight.copy_(torch.from_numpy(table.astype(np.float32)))
    lin = torch.nn.Linear(dim, y.shape[1])
    with torch.no_grad():
        lin.weight.copy_(torch.eye(y.shape[1], dim))
        lin.bias.zero_()
    dense = torch.optim.Adam(lin.parameters(), lr=lr)
    sparse = torch.optim.SparseAdam(list(emb.parameters()), lr=lr)
    target = torch.from_numpy(y.astype(np.float32))
    ids = [x if x else [0] for x in ids]
    rng = np.random.default_rng(seed)
    with torch.enable_grad():
        for _ in range(epochs):
            order = rng.permutation(len(ids))
            for s in range(0, len(order), batch_size):
                b = order[s:s + batch_size]
                flat = torch.tensor(np.concatenate([ids[i] for i in b]))
                offsets = torch.tensor(np.cumsum([0] + [len(ids[i]) for i in b[:-1]]))
                pred = torch.nn.functional.normalize(lin(emb(flat, offsets)), dim=1)
                loss = (1.0 - (pred * target[b]).sum(1)).mean()
                dense.zero_grad()
                sparse.zero_grad()
                loss.backward()
                dense.step()
                sparse.step()
    return (emb.weight.detach().numpy().copy(),
            (lin.weight.detach().numpy().T.copy(), lin.bias.detach().numpy().copy()))
