"""Inputs of `wordlens distill`: texts from several corpora, hypotheses from a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..corpus import load_corpus
from ..errors import InputError
from ..hypothesis import Hypothesis, as_hypotheses


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
        items = c.texts
        if max_texts is not None and len(items) > max_texts:
            items = [items[i] for i in np.sort(rng.choice(len(items), max_texts, replace=False))]
        texts += items
        info.append({"source": c.source, "n_texts": len(items)})
    return list(dict.fromkeys(texts)), info


def load_hypotheses(paths: Sequence[str | Path]) -> list[Hypothesis]:
    """Hypotheses from .txt files (one per line, # comments) or wordlens diff result .json."""
    from ..result import DiffResult

    out: list[Hypothesis] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix.lower() == ".json":
            try:
                res = DiffResult.load(path)
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}: not a wordlens diff result JSON ({exc})") from None
            out += [Hypothesis(h.hypothesis, h.source, h.form) for h in res.hypotheses]
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
        out += [Hypothesis(ln.strip()) for ln in lines
                if ln.strip() and not ln.lstrip().startswith("#")]
    hyps = as_hypotheses(out)
    if not hyps:
        raise InputError(f"{', '.join(map(str, paths))}: no hypotheses (one per line)")
    return hyps
