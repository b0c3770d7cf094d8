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


def test_json_fragments_and_key_names_from_a_broken_reply_are_dropped_and_counted():
    from wordlens.llm.parsing import parse_hypotheses

    broken = ('{\n  "INFO_SUGGESTIONS": [\n    "hypotheses3": "mentions a price",\n'
              '    "SUMMARY": [\n      "MENU": {\n        "langCode": "en_US",\n'
              '        "name": "groupA1"\n    "expresses disappointment with the product",\n'
              '    "uses ALL CAPS for emphasis",\n    "mentions the iPhone",\n'
              '    "sports",\n    "is about <a topic>",\n}')
    got = parse_hypotheses(broken, examples=["is about <a topic>"])
    assert got.kept == ["expresses disappointment with the product",
                        "uses ALL CAPS for emphasis", "mentions the iPhone"]
    assert got.dropped["markup"] == 8 and got.dropped["echo"] == 1
    assert got.dropped["too_short"] == 1 and got.n_raw == 13
    assert "JSON or markup fragments" in got.summary()


@pytest.mark.parametrize("item", ['langCode en_US', "groupA1 texts", "INFO_SUGGESTIONS",
                                  "<b>is bold</b>", 'name": "x', "see https://x.org",
                                  "the hypotheses are good", "word"])
def test_items_that_are_not_hypotheses_are_dropped(item):
    assert parse_hypothesis_list(f'["{item}"]' if '"' not in item else item) == []


def test_a_copied_sample_text_is_not_a_hypothesis():
    from wordlens.llm.parsing import parse_hypotheses

    shown = ["I bought this blender and it broke after two days of use."]
    got = parse_hypotheses('["it broke after two days of use", "complains about a defect"]',
                           shown_texts=shown)
    assert got.kept == ["complains about a defect"] and got.dropped["echo"] == 1
