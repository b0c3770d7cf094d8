"""The pair set shipped with the package (``wordlens bench`` with no folder) and the checks
of a pair's meta.json."""

from __future__ import annotations

import pytest

from wordlens.bench import find_pairs, read_meta, shipped_pairs_dir
from wordlens.cli.main import main
from wordlens.corpus import load_corpus
from wordlens.errors import InputError


def test_shipped_pairs_are_complete_and_valid():
    pairs = find_pairs(shipped_pairs_dir())
    assert {p.name for p in pairs} >= {"amazon_pos_vs_neg", "null_amazon", "tweets_vs_movie"}
    kinds = {read_meta(p)["kind"] for p in pairs}
    assert kinds == {"difference", "null"}
    for p in pairs:
        assert len(load_corpus(p / "a.jsonl").texts) >= 40
        assert len(load_corpus(p / "b.jsonl").texts) >= 40


def test_bench_without_a_folder_runs_the_shipped_set(capsys):
    code = main(["bench", "--only", "null_amazon", "--judge", "exact", "--proposer",
                 "properties", "--max-texts", "60"])
    out = capsys.readouterr().out
    assert code == 0
    assert "shipped with wordlens" in out and "null_amazon" in out and "totals" in out


@pytest.mark.parametrize("meta, message", [
    ("{kind: difference", r"meta.json:1: malformed JSON"),
    ('["a list"]', "expected a JSON object"),
    ('{"kind": "weird"}', "field 'kind' is 'weird'"),
    ('{"kind": "difference", "truth": [3]}', "list of non-empty strings"),
    ('{"kind": "difference", "truth": []}', "at least one 'truth'"),
])
def test_bad_meta_json_is_one_clear_error(tmp_path, meta, message):
    (tmp_path / "meta.json").write_text(meta)
    with pytest.raises(InputError, match=message):
        read_meta(tmp_path)
