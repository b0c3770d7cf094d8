import random

import pytest

from wordlens.judges.llm import first_yes_no, parse_answers, yes_probability
from wordlens.llm.parsing import dedupe, parse_hypothesis_list


@pytest.mark.parametrize("answer", [
    '["is about sports", "mentions a price"]',
    'Sure! Here you go:\n```json\n["Is about sports.", "mentions a price"]\n```',
    '{"hypotheses": [{"hypothesis": "is about sports"}, {"text": "mentions a price"}]}',
    "Here are some hypotheses:\n1. Is about sports.\n2) mentions a price\n",
    "- **is about sports**\n- Texts in group A more often mention a price\n",
    "Hypotheses:\n* is about sports\n* mentions a price",
])
def test_hypothesis_lists_in_many_formats_parse_to_the_same_items(answer):
    got = parse_hypothesis_list(answer)
    assert got[0] == "is about sports"
    assert got[1] in ("mentions a price", "mention a price")
    assert len(got) == 2


def test_empty_overlong_and_meta_items_are_dropped():
    answer = '["", "   ", "is about sports", "' + "very long " * 30 + '", "group A is happier"]'
    assert parse_hypothesis_list(answer) == ["is about sports"]


def test_malformed_answers_never_raise():
    rng = random.Random(0)
    alphabet = '[]{}",:\n-*1.) abcxyz`\\'
    for _ in range(500):
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        out = parse_hypothesis_list(junk)
        assert isinstance(out, list) and all(isinstance(h, str) and h for h in out)
    assert parse_hypothesis_list(None) == []  # type: ignore[arg-type]


def test_dedupe_drops_near_identical_keeps_distinct():
    hs = ["is about sports", "Is about sport", "is about the sports", "mentions a price",
          "is about politics"]
    assert dedupe(hs) == ["is about sports", "mentions a price", "is about politics"]


def test_yes_probability_from_logprobs_and_parsed_answers():
    import math

    top = [{" Yes": math.log(0.6), "yes": math.log(0.2), "No": math.log(0.1), "x": -1.0}]
    assert yes_probability(top) == pytest.approx(0.8 / 0.9)
    assert yes_probability([{"hmm": -0.1}]) is None
    assert yes_probability(None) is None
    assert first_yes_no("No, it does not.") == 0.0
    assert first_yes_no("Yes.") == 1.0
    assert first_yes_no("I cannot tell") is None


def test_batch_answers_lines_or_json_with_missing_ids():
    ids = ["f3", "r3", "t7"]
    assert parse_answers("f3: yes\nr3: No", ids) == ({"f3": 1.0, "r3": 0.0}, None)
    assert parse_answers("Text f3 - yes\nText t7 - no", ids) == ({"f3": 1.0, "t7": 0.0}, None)
    assert parse_answers('```json\n{"F3": "yes", "[r3]": false}\n```', ids) == (
        {"f3": 1.0, "r3": 0.0}, None)
    assert parse_answers("garbage", ids) == ({}, None)


def test_batch_answers_that_copy_the_format_or_name_other_ids_are_rejected():
    ids = ["f3", "r3", "t7"]
    assert parse_answers("1: yes\n2: no", ids) == ({}, "unknown_ids")
    assert parse_answers('<id>: yes\n<id>: no', ids) == ({}, "copied_example")
    assert parse_answers('{"<id>": "yes", "<id>": "no"}', ids) == ({}, "copied_example")
    assert parse_answers("f3: yes\nf3: no", ids) == ({}, "conflicting")
    assert parse_answers("f3: yes\nx9: no", ids) == ({}, "unknown_ids")
