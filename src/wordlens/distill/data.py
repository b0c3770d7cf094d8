"""Inputs of `wordlens distill`: texts from several corpora."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..corpus import load_corpus
from ..errors import InputError
from ..split import sample_texts


def load_texts(paths: Sequence[str | Path], *, text_field: str | None = None,
               encoding: str = "utf-8", max_texts: int | None = None, seed: int = 0
               ) -> tuple[list[str], list[dict]]:
    """Texts of every corpus (at most ``max_texts`` each, a seeded sample), de-duplicated."""
    import numpy as np

    if not paths:
        raise InputError("--data: give at least one corpus file")
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    info = []
    for p in paths:
        c = load_corpus(p, text_field=text_field, encoding=encoding)
        items = sample_texts(c.texts, max_texts, rng)
        texts += items
        info.append({"source": c.source, "n_texts": len(items)})
    return list(dict.fromkeys(texts)), info
