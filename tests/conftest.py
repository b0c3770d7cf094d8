"""Shared fixtures: the real shipped encoder (loaded once per session) and dataset paths.

``datasets`` is ``tests/data``: small slices of the benchmark pairs kept in the repository
(rebuilt by ``scripts/make_test_data.py``), so a fresh clone runs every test. The full pairs
(``../shared/datasets``) are only for the benchmark and for opt-in tests that take
``shared_datasets`` and say how to enable them when skipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
SHARED_DATASETS = os.environ.get("WORDLENS_DATASETS")


def read_jsonl(path: Path, field: str = "text", limit: int | None = None) -> list:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line)[field] if field else json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


@pytest.fixture(scope="session")
def datasets() -> Path:
    """The small pair slices in tests/data (always present)."""
    return TEST_DATA


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """The full benchmark pairs: opt-in, for tests that need more texts than tests/data."""
    if not SHARED_DATASETS:
        pytest.skip("opt-in: needs the full benchmark pairs; set "
                    "WORDLENS_DATASETS=/path/to/shared/datasets to run it")
    path = Path(SHARED_DATASETS)
    if not path.is_dir():
        pytest.skip(f"WORDLENS_DATASETS={path}: not a folder")
    return path


@pytest.fixture(scope="session")
def encoder():
    from wordlens.encoders import default_encoder

    enc = default_encoder()
    enc.encode(["warm up"])
    return enc


def _slice(datasets: Path, limit: int) -> tuple[list[str], list[str]]:
    from wordlens.judges.embedding import reference_descriptions

    texts = []
    for pair in ("bbc_tech_vs_sports", "amazon_pos_vs_neg", "tweets_vs_movie"):
        for side in ("a", "b"):
            texts += read_jsonl(datasets / pair / f"{side}.jsonl", limit=limit)
    return texts, list(reference_descriptions())[::3]


@pytest.fixture(scope="session")
def student_slice(datasets):
    """30 texts per side of three pairs and a third of the topic inventory."""
    return _slice(datasets, 30)


@pytest.fixture(scope="session")
def fast_slice(datasets):
    """40 texts per side of three pairs and a third of the topic inventory."""
    return _slice(datasets, 40)


@pytest.fixture(scope="session")
def distilled(student_slice, encoder):
    """A standard student distilled from the zero-shot embedding judge, and its report."""
    from wordlens.distill import distill
    from wordlens.judges import EmbeddingJudge, StudentJudge

    texts, hyps = student_slice
    return distill(EmbeddingJudge(encoder), texts, hyps, budget=500, eval_pairs=800,
                   student=StudentJudge(encoder, epochs=150), seed=0)


@pytest.fixture(scope="session")
def static_encoder(fast_slice, encoder):
    from wordlens.encoders import StaticTextEncoder

    texts, _ = fast_slice
    return StaticTextEncoder(encoder, epochs=4, batch_size=32, min_steps=150).fit(texts[::2])


@pytest.fixture(scope="session")
def fast_distilled(fast_slice, encoder):
    """A fast student (static encoder + two-tower head) distilled from the embedding judge."""
    from wordlens.distill import distill
    from wordlens.encoders import StaticTextEncoder
    from wordlens.judges import EmbeddingJudge, FastStudentJudge

    texts, hyps = fast_slice
    return distill(EmbeddingJudge(encoder), texts, hyps, budget=800, eval_pairs=800,
                   student=FastStudentJudge(encoder, epochs=200, static_encoder=StaticTextEncoder(
                       encoder, batch_size=32, min_steps=150)), seed=0)
