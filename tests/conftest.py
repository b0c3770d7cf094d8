"""Shared fixtures: the real shipped encoder (loaded once per session) and dataset paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("WORDLENS_DATASETS", ROOT.parent / "shared" / "datasets"))


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
    if not DATASETS.exists():
        pytest.skip(f"shared datasets not found at {DATASETS}")
    return DATASETS


@pytest.fixture(scope="session")
def encoder():
    from wordlens.encoders import default_encoder

    enc = default_encoder()
    enc.encode(["warm up"])
    return enc
