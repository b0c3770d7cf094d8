"""Cheap checks of the input texts that a reader of the result should know about: many
duplicate texts, text that does not look like English (the offline models are English-only;
judged by :mod:`wordlens.language`),
and texts long enough that some judges read only their beginning."""

from __future__ import annotations

from collections.abc import Sequence

from ..language import clearly_english, language_name, language_shares
from ..properties import VADER_MAX_CHARS

#: a share of repeated texts at or above this gets a note
DUPLICATE_SHARE = 0.05
#: a corpus is flagged when fewer than this share of its texts is identified as English
MIN_ENGLISH_SHARE = 0.5


def duplicate_count(texts: Sequence[str]) -> tuple[int, int]:
    """(texts that repeat an earlier one, distinct texts)."""
    distinct = len(set(texts))
    return len(texts) - distinct, distinct


def not_english(texts: Sequence[str]) -> str | None:
    """Why a corpus does not look like English (None when it does). Plain English prose passes
    on a stop-word count alone; anything else (headlines, tweets, other languages) is read by
    the language identifier (:mod:`wordlens.language`), text by text."""
    if not texts or clearly_english(texts):
        return None
    shares = language_shares(texts)
    english = shares.get("en", 0.0)
    if english >= MIN_ENGLISH_SHARE:
        return None
    top = [(c, s) for c, s in shares.most_common(2) if c != "en"][:1]
    most = f"; {top[0][1]:.0%} identified as {language_name(top[0][0])}" if top else ""
    return f"only {english:.0%} of texts identified as English{most}"


def corpus_notes(texts_a: Sequence[str], texts_b: Sequence[str]) -> list[str]:
    """Notes for a diff result about the texts themselves (empty when nothing stands out)."""
    notes = []
    for label, texts in (("A", texts_a), ("B", texts_b)):
        dup, distinct = duplicate_count(texts)
        if texts and dup / len(texts) >= DUPLICATE_SHARE:
            notes.append(f"Corpus {label} has {dup} duplicate texts ({dup / len(texts):.0%} of "
                         f"{len(texts)}; {distinct} distinct). Each copy counts as a separate "
                         "observation, so repeated texts weigh as independent evidence in "
                         "every statistic; remove duplicates if they are not.")
    foreign = []
    for label, texts in (("A", texts_a), ("B", texts_b)):
        why = not_english(texts)
        if why:
            foreign.append(f"{label} ({why})")
    if foreign:
        which = ("Corpora " if len(foreign) > 1 else "Corpus ") + " and ".join(foreign)
        notes.append(f"{which} {'do' if len(foreign) > 1 else 'does'} not look like English. "
                     "The offline "
                     "models (MiniLM encoder, VADER sentiment, word lists) are English-only: "
                     "their judgments of other languages are unreliable. Use an LLM judge "
                     "that reads the language.")
    long_texts = sum(len(t) > VADER_MAX_CHARS for t in (*texts_a, *texts_b))
    if long_texts:
        are = "text is" if long_texts == 1 else "texts are"
        notes.append(f"{long_texts} {are} longer than {VADER_MAX_CHARS:,} characters: the "
                     f"sentiment properties judge their first {VADER_MAX_CHARS:,} characters, "
                     "the embedding judge (like every MiniLM reading) their first 128 word "
                     "pieces, an LLM judge its first 2,000 characters.")
    return notes
