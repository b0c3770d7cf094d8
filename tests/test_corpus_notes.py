"""Notes about the texts themselves: duplicates, non-English input, long texts."""

from __future__ import annotations

from pathlib import Path

from wordlens.diff.corpus_notes import corpus_notes, not_english
from wordlens.language import english_evidence

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


#: headline-style English in the manner of a national broadcaster's news feed (written here)
HEADLINES = [
    "council approves new budget for regional hospitals", "drought hits wheat farmers hard",
    "police investigate fatal crash on pacific highway", "man charged over servo robbery",
    "pm pledges extra funds for flood recovery", "qld govt defends mining royalty hike",
    "bushfire warning issued for blue mountains", "teen rescued after surfing mishap",
    "union slams plan to cut penalty rates", "interest rates on hold again",
    "new stadium plan sparks protest", "nurses walk off job over pay",
    "wallabies name squad for rugby championship", "school bus crash injures six",
    "opposition calls for inquiry into water deal", "shark sighting closes beaches",
    "aged care report finds neglect", "storm damage bill tops $1m",
    "hospital waiting lists grow", "fishing ban lifted after oil spill",
]
GERMAN = ["Die Regierung hat gestern neue Regeln für den Wohnungsmarkt beschlossen.",
          "Ich fahre jeden Morgen mit dem Fahrrad zur Arbeit, auch wenn es regnet.",
          "Der Zug nach München hatte wieder einmal eine Stunde Verspätung.",
          "Unsere Nachbarn haben einen kleinen Garten mit vielen Apfelbäumen."] * 5
FRENCH = ["Le conseil municipal a voté un nouveau budget pour les écoles de la ville.",
          "Nous sommes partis en vacances à la montagne avec toute la famille.",
          "Les prix de l'énergie ont fortement augmenté depuis le début de l'année.",
          "Elle lit un roman policier chaque soir avant de dormir."] * 5
SPANISH = ["El ayuntamiento aprobó ayer un plan para mejorar el transporte público.",
           "Mi hermana trabaja en un hospital del centro de la ciudad.",
           "Los aficionados celebraron la victoria del equipo hasta la madrugada.",
           "Este verano queremos viajar al norte para ver a los abuelos."] * 5


def test_english_headlines_are_english():
    assert english_evidence(HEADLINES)[1] < 0.15   # the old stop-word rule flagged these
    assert not_english(HEADLINES) is None
    assert corpus_notes(HEADLINES, ENGLISH) == []


def test_german_french_spanish_sentences_are_not_english():
    for other, name in ((GERMAN, "German"), (FRENCH, "French"), (SPANISH, "Spanish")):
        why = not_english(other)
        assert why is not None and name in why, (name, why)
        notes = corpus_notes(HEADLINES, other)
        assert any("Corpus B" in n and "does not look like English" in n for n in notes)
        assert not any("Corpus A" in n for n in notes)


def test_duplicates_are_counted():
    notes = corpus_notes(["same text here"] * 95 + ENGLISH[:5], MOVIES)
    assert any("Corpus A has 94 duplicate texts (94% of 100; 6 distinct)" in n for n in notes)


def test_long_texts_are_noted():
    notes = corpus_notes(ENGLISH + ["word " * 2000], MOVIES)
    assert any("1 text is longer than 5,000 characters" in n for n in notes)
