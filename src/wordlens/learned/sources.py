"""Named unlabeled corpora from the shared datasets folder, grouped by where the texts come
from, so that training and evaluation can use different sources.

- ``amazon``: Amazon review sentences (amazon_pos_vs_neg a+b)
- ``movie``: movie review sentences (movie_pos_vs_neg a+b, tweets_vs_movie b)
- ``tweets``: tweets (tweets_vs_movie a)
- ``bbc``: BBC News articles (the four bbc_* files)

Labels and ``meta.json`` truths are never read here: forward sampling needs texts only.
"""

from __future__ import annotations

from pathlib import Path

from ..corpus import load_corpus
from ..errors import InputError

SOURCES: dict[str, tuple[str, ...]] = {
    "amazon": ("amazon_pos_vs_neg/a.jsonl", "amazon_pos_vs_neg/b.jsonl"),
    "movie": ("movie_pos_vs_neg/a.jsonl", "movie_pos_vs_neg/b.jsonl", "tweets_vs_movie/b.jsonl"),
    "tweets": ("tweets_vs_movie/a.jsonl",),
    "bbc": ("bbc_politics_vs_entertainment/a.jsonl", "bbc_politics_vs_entertainment/b.jsonl",
            "bbc_tech_vs_sports/a.jsonl", "bbc_tech_vs_sports/b.jsonl"),
}


def source_texts(name: str, datasets: str | Path) -> list[str]:
    """Distinct texts of one named source, in file order."""
    if name not in SOURCES:
        raise InputError(f"unknown corpus source {name!r}; choose from {', '.join(SOURCES)}")
    texts: list[str] = []
    for rel in SOURCES[name]:
        texts += load_corpus(Path(datasets) / rel).texts
    return list(dict.fromkeys(texts))


def resolve_corpus(spec: str, datasets: str | Path | None) -> tuple[str, list[str]]:
    """A corpus given as a file/folder path, or as ``shared:NAME`` (a named source above)."""
    if spec.startswith("shared:"):
        if datasets is None:
            raise InputError(f"{spec}: pass --datasets to use a named shared source")
        name = spec.split(":", 1)[1]
        return name, source_texts(name, datasets)
    c = load_corpus(spec)
    return c.name, list(dict.fromkeys(c.texts))
