"""Notes about the texts themselves: duplicates, non-English input, long texts."""

from __future__ import annotations

from pathlib import Path

from wordlens.corpus_notes import corpus_notes, english_evidence

from .conftest import read_jsonl

TEST_DATA = Path(__file__).resolve().parent / "data"

ENGLISH = read_jsonl(TEST_DATA / "tweets_vs_movie" / "a.jsonl", limit=100)
MOVIES = read_jsonl(TEST_DATA / "movie_pos_vs_neg" / "a.jsonl", limit=100)


def test_real_english_corpora_get_no_note():
    assert corpus_notes(ENGLISH, MOVIES) == []


def test_other_languages_are_noted():
    french = ["Le film était vraiment très bon, je le recommande à tous mes amis.",
              "Je n'ai pas aimé ce produit, il est cassé."] * 10
    spanish = ["La película es muy buena y los actores son excelentes.",
               "No me gustó nada el final de la historia."] * 10
    arabic = ["هذا المنتج رائع جدا وأنا أوصي به", "الفيلم كان مملا للغاية"] * 10
    assert english_evidence(arabic)[0] > 0.9
    for other in (french, spanish, arabic):
        notes = corpus_notes(ENGLISH, [f"{t} {i}" for i, t in enumerate(other)])
        assert any("Corpus B" in n and "does not look like English" in n for n in notes), notes


def test_duplicates_are_counted():
    notes = corpus_notes(["same text here"] * 95 + ENGLISH[:5], MOVIES)
    assert any("Corpus A has 94 duplicate texts (94% of 100; 6 distinct)" in n for n in notes)


def test_long_texts_are_noted():
    notes = corpus_notes(ENGLISH + ["word " * 2000], MOVIES)
    assert any("1 text is longer than 5,000 characters" in n for n in notes)
