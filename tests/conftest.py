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
