"""The judge of ``diff --fast``: exact judges as offline, zero-shot with a static text encoder."""

from __future__ import annotations

import copy
from typing import Any

from ..encoders import SentenceEncoder
from ..encoders.static import StaticTextEncoder
from .embedding import EmbeddingJudge
from .offline import OfflineJudge


class FastJudge(OfflineJudge):
    """:class:`OfflineJudge` whose zero-shot part encodes texts with a static token table
    (``static``, a fitted :class:`StaticTextEncoder` imitating ``encoder``) instead of a
    transformer pass per text; hypotheses and the reference descriptions are still encoded
    by ``encoder`` (MiniLM), once. Exact judges (properties, keyword lists) are unchanged.

    Pickles light (no loaded model, no tokenizer cache), so an engine can ship it to workers.
    """

    name = "fast (exact features + zero-shot embedding on a static text encoder)"

    def __init__(self, static: StaticTextEncoder, encoder: SentenceEncoder | None = None):
        super().__init__(encoder, fallback=EmbeddingJudge(encoder, text_encoder=static))
        self.static = static

    def caveat(self) -> str | None:
        return ("Hypotheses with a programmatic form (properties, keyword lists) are judged "
                "exactly; free-text hypotheses are judged by a zero-shot embedding similarity "
                "(an approximation of truth) computed on a static token-table encoding of each "
                "text, which approximates MiniLM's embedding (--fast). Use an LLM judge for "
                "reading.")

    def describe(self) -> dict[str, Any]:
        enc = self.encoder.name if self.encoder is not None else "all-MiniLM-L6-v2"
        return super().describe() | {"name": self.name, "text_encoder":
                                     f"static token table distilled from {enc}",
                                     "approximation": True}

    def __getstate__(self) -> dict[str, Any]:
        light = self.static.with_own_cache(keep=False)
        fallback = copy.copy(self.fallback)
        fallback.text_encoder = light
        return dict(self.__dict__, static=light, fallback=fallback)
