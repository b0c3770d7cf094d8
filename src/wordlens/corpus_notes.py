"""Cheap checks of the input texts that a reader of the result should know about: many
duplicate texts, text that does not look like English (the offline models are English-only),
and texts long enough that some judges read only their beginning."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .properties import VADER_MAX_CHARS

#: a share of repeated texts at or above this gets a note
DUPLICATE_SHARE = 0.05
#: English function words; ordinary English text has 30-50 % of its words in this set
ENGLISH_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with from by as is are was were be been it its "
    "this that these those i you he she we they me my your his her our their not no so if "
    "do does did have has had will would can could there what which who just very all".split())
#: below this share of stopwords (Latin script) a corpus does not look like English
MIN_STOPWORD_SHARE = 0.15
#: above this share of letters outside the Latin script a corpus is not English
MAX_NON_LATIN_SHARE = 0.3
_SAMPLE = 2000
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def duplicate_count(texts: Sequence[str]) -> tuple[int, int]:
    """(texts that repeat an earlier one, distinct texts)."""
    distinct = len(set(texts))
    return len(texts) - distinct, distinct


def english_evidence(texts: Sequence[str]) -> tuple[float, float]:
    """(share of letters outside the Latin script, share of words that are English function
    words) over at most 2000 texts (every k-th), a heuristic with no model."""
    step = max(1, len(texts) // _SAMPLE)
    letters = non_latin = n_words = n_stop = 0
    for t in texts[::step]:
        t = t[:2000]
        for ch in t:
            if ch.isalpha():
                letters += 1
                non_latin += ord(ch) > 0x24F  # beyond Latin Extended-B
        ws = [w.lower() for w in _WORD.findall(t)]
        n_words += len(ws)
        n_stop += sum(w in ENGLISH_STOPWORDS for w in ws)
    return (non_latin / letters if letters else 0.0, n_stop / n_words if n_words else 1.0)


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
        non_latin, stop = english_evidence(texts)
        if non_latin > MAX_NON_LATIN_SHARE:
            foreign.append(f"{label} ({non_latin:.0%} of letters outside the Latin script)")
        elif stop < MIN_STOPWORD_SHARE:
            foreign.append(f"{label} (only {stop:.0%} of words are common English words)")
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
