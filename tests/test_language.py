"""The language identifier and the exact property 'is written in <language>'."""

from __future__ import annotations

from wordlens.language import classify, clearly_english, language_name, languages_present
from wordlens.properties import property_from_form
from wordlens.proposers.properties import PropertyProposer

from .test_corpus_notes import FRENCH, GERMAN, HEADLINES, SPANISH

ENGLISH_PROSE = ["I went to the shop because we had run out of milk and it was raining.",
                 "The film was far too long, but the actors did a good job with it.",
                 "She said that they would be here by nine if the trains were on time."] * 7


def test_sentences_are_identified():
    assert classify(GERMAN[0])[0] == "de"
    assert classify(FRENCH[0])[0] == "fr"
    assert classify(SPANISH[0])[0] == "es"
    assert classify(HEADLINES[2])[0] == "en"
    assert classify("12345 !!!") == ("und", 0.0)
    assert language_name("de") == "German" and "'xx'" in language_name("xx")


def test_clearly_english_needs_no_model():
    assert clearly_english(ENGLISH_PROSE)
    assert not clearly_english(HEADLINES)      # too few function words: the model decides
    assert languages_present(ENGLISH_PROSE, ENGLISH_PROSE[::-1]) == []


def test_languages_present_and_the_property():
    a, b = ENGLISH_PROSE + HEADLINES, GERMAN + ENGLISH_PROSE[:5]
    langs = languages_present(a, b)
    assert set(langs) == {"en", "de"}
    hyps = [h for h in PropertyProposer().propose(a, b) if "language" in (h.form or {})]
    assert sorted(h.text for h in hyps) == ["is written in English", "is written in German"]
    german = next(h for h in hyps if h.form["language"] == "de")
    fn = property_from_form(dict(german.form)).fn
    assert [fn(t) for t in GERMAN[:4]] == [1.0] * 4
    assert sum(fn(t) for t in HEADLINES) == 0


def test_one_language_gives_no_language_property():
    hyps = PropertyProposer().propose(HEADLINES, HEADLINES[::-1])
    assert not any("language" in (h.form or {}) for h in hyps)
