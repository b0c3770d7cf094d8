import json

import pandas as pd
import pytest

from wordlens.corpus import as_corpus, load_corpus
from wordlens.errors import InputError


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_jsonl_default_text_field(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text": "one"}\n\n{"text": "two", "x": 1}\n')
    c = load_corpus(p)
    assert c.texts == ["one", "two"] and c.name == "a"


def test_jsonl_custom_field_and_bare_strings(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"review": "good"}\n{"review": "bad"}\n')
    assert load_corpus(p, text_field="review").texts == ["good", "bad"]
    q = write(tmp_path / "b.jsonl", '"plain"\n"strings"\n')
    assert load_corpus(q).texts == ["plain", "strings"]


def test_malformed_jsonl_line_is_named(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text": "ok"}\n{"text": "broken"\n')
    with pytest.raises(InputError, match=r"a\.jsonl:2: malformed JSON"):
        load_corpus(p)


def test_missing_field_names_line_and_alternatives(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text": "ok"}\n{"body2": "x"}\n')
    with pytest.raises(InputError, match=r"a\.jsonl:2: missing field 'text'; available: body2"):
        load_corpus(p)
    with pytest.raises(InputError, match=r"no field 'review'"):
        load_corpus(write(tmp_path / "c.csv", "text,label\nhi,1\n"), text_field="review")


def test_non_text_value_is_an_error(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text": 5}\n')
    with pytest.raises(InputError, match=r"a\.jsonl:1: field 'text' is int"):
        load_corpus(p)


def test_csv_tsv_parquet_txt_and_folder(tmp_path):
    assert load_corpus(write(tmp_path / "a.csv", 'review,stars\n"nice, really",5\nbad,1\n'),
                       text_field="review").texts == ["nice, really", "bad"]
    assert load_corpus(write(tmp_path / "a.tsv", "text\tx\nhello\t1\nworld\t2\n")).texts == [
        "hello", "world"]
    pq = tmp_path / "a.parquet"
    pd.DataFrame({"text": ["p1", "p2"], "n": [1, 2]}).to_parquet(pq)
    assert load_corpus(pq).texts == ["p1", "p2"]
    assert load_corpus(write(tmp_path / "a.txt", "line one\nline two\n\n")).texts == [
        "line one", "line two"]
    d = tmp_path / "docs"
    d.mkdir()
    write(d / "1.txt", "first doc\n")
    write(d / "2.txt", "second doc")
    write(d / "skip.md", "not a txt")
    assert load_corpus(d).texts == ["first doc", "second doc"]


def test_missing_file_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_corpus(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="unsupported file type"):
        load_corpus(write(tmp_path / "a.xml", "<x/>"))
    with pytest.raises(InputError, match="folder has no .txt files"):
        (tmp_path / "empty").mkdir()
        load_corpus(tmp_path / "empty")


def test_empty_corpus(tmp_path):
    with pytest.raises(InputError, match="is empty"):
        load_corpus(write(tmp_path / "a.txt", "\n  \n"))
    with pytest.raises(InputError, match="is empty"):
        load_corpus(write(tmp_path / "a.jsonl", '{"text": ""}\n'))


def test_undecodable_bytes_offer_encoding(tmp_path):
    p = write(tmp_path / "a.txt", "caf\u00e9 cr\u00e8me\n", encoding="latin-1")
    with pytest.raises(InputError, match=r"a\.txt: cannot decode bytes as utf-8.*--encoding"):
        load_corpus(p)
    assert load_corpus(p, encoding="latin-1").texts == ["caf\u00e9 cr\u00e8me"]


def test_blank_texts_are_counted_not_silently_skipped(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text": "a"}\n{"text": "  "}\n{"text": null}\n')
    c = load_corpus(p)
    assert c.texts == ["a"] and c.n_blank_dropped == 2


def test_python_inputs():
    assert as_corpus(["x", "y"]).texts == ["x", "y"]
    assert as_corpus(pd.Series(["s1", "s2"])).texts == ["s1", "s2"]
    assert as_corpus(pd.DataFrame({"text": ["d1"], "o": [1]})).texts == ["d1"]
    with pytest.raises(InputError, match="expected text"):
        as_corpus(["ok", 3])


def test_extra_fields_follow_kept_texts(tmp_path):
    rows = [{"text": "a", "label": 1}, {"text": "", "label": 0}, {"text": "c", "label": 0}]
    p = write(tmp_path / "a.jsonl", "\n".join(json.dumps(r) for r in rows))
    c = load_corpus(p, extra_fields=["label"])
    assert c.texts == ["a", "c"] and c.extra["label"] == [1, 0]
