"""docs/reference/json.md is generated from the result dataclasses and must be up to date, and
the keys it documents for a diff's object fields are the keys a real run writes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from wordlens.diff import diff

from .engine_judges import HYPOTHESES, HashJudge, corpora

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_json_reference",
                                                  ROOT / "scripts" / "gen_json_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_reference_is_up_to_date():
    page = ROOT / "docs" / "reference" / "json.md"
    assert page.read_text(encoding="utf-8") == _generator().render(), (
        "docs/reference/json.md is out of date: run python scripts/gen_json_reference.py")


def test_every_field_of_every_result_has_a_meaning():
    rows = [re.match(r"^\| `(\w+)` \| (.*?) \| (.*) \|$", line)
            for line in _generator().render().splitlines() if line.startswith("| `")]
    assert len(rows) > 100 and all(rows)
    empty = [m.group(1) for m in rows if not m.group(3).strip()]
    assert not empty, f"fields without a meaning (add a #: comment): {empty}"


def _documented(field: str) -> str:
    page = _generator().render()
    section = page.split("## DiffResult", 1)[1].split("\n## ", 1)[0]
    row = next(r for r in section.splitlines() if r.startswith(f"| `{field}` |"))
    return row


@pytest.mark.parametrize("engine", [None, "inprocess"])
def test_documented_keys_are_the_keys_a_diff_writes(engine):
    a, b = corpora()
    result = diff(a, b, hypotheses=HYPOTHESES, judge=HashJudge(), top_k=3, engine=engine)
    data = result.to_dict()
    for field in ("settings", "verification", "timing"):
        row = _documented(field)
        missing = [k for k in data[field] if not re.search(rf"\b{re.escape(k)}\b", row)]
        assert not missing, f"{field}: keys written but not documented: {missing}"
    assert re.search(r"\bin-process\b", _documented("settings"))
    assert data["settings"]["engine"]["name"] in ("in-memory", "in-process")
