"""Loading pairs (one file, or two joined by an id) and splitting by pair."""

import json

import pytest

from wordlens.errors import InputError
from wordlens.pairs import PairedSplit, load_pairs


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def rows(n=30):
    return [{"id": f"p{i}", "x": f"prompt {i} answer one", "y": f"prompt {i} answer two"}
            for i in range(n)]


def test_split_is_by_pair(tmp_path):
    pairs = load_pairs(write(tmp_path / "p.jsonl", rows()), fields=["x", "y"], pair_id="id")
    s = PairedSplit.draw_pairs(pairs, seed=3)
    assert set(s.proposal_ids).isdisjoint(s.validation_ids)
    assert len(s.proposal_ids) + len(s.validation_ids) == 30
    for ids, xa, xb in ((s.proposal_ids, s.proposal_a, s.proposal_b),
                        (s.validation_ids, s.validation_a, s.validation_b)):
        for k, ta, tb in zip(ids, xa, xb):  # both texts of a pair on the same side
            i = k[1:]
            assert ta == f"prompt {i} answer one" and tb == f"prompt {i} answer two"
    again = PairedSplit.draw_pairs(pairs, seed=3)
    assert again.validation_ids == s.validation_ids


def test_two_files_joined_by_id_in_any_order(tmp_path):
    a = write(tmp_path / "a.jsonl", [{"id": r["id"], "text": r["x"]} for r in rows()])
    b = write(tmp_path / "b.jsonl", [{"id": r["id"], "text": r["y"]} for r in rows()][::-1])
    pairs = load_pairs(a, b, pair_id="id")
    assert pairs.b[5] == "prompt 5 answer two" and pairs.ids[5] == "p5"


def test_missing_and_duplicated_ids_are_errors(tmp_path):
    a = write(tmp_path / "a.jsonl", [{"id": r["id"], "text": r["x"]} for r in rows()])
    b = write(tmp_path / "b.jsonl", [{"id": r["id"], "text": r["y"]} for r in rows()[:-1]])
    with pytest.raises(InputError, match=r"b.jsonl: 1 pair id\(s\) of .*a.jsonl are missing"):
        load_pairs(a, b, pair_id="id")
    dup = write(tmp_path / "d.jsonl", [{"id": "same", "text": "t"}] * 12)
    with pytest.raises(InputError, match="occur more than once, e.g. 'same'"):
        load_pairs(a, dup, pair_id="id")


def test_missing_field_and_blank_side(tmp_path):
    with pytest.raises(InputError, match="missing field 'z'"):
        load_pairs(write(tmp_path / "p.jsonl", rows()), fields=["x", "z"])
    r = rows()
    r[0]["y"] = " "
    pairs = load_pairs(write(tmp_path / "q.jsonl", r), fields=["x", "y"])
    assert len(pairs.ids) == 29 and pairs.n_dropped == 1
    with pytest.raises(InputError, match="same"):
        load_pairs(tmp_path / "q.jsonl", fields=["x", "x"])
