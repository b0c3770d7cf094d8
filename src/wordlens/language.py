"""Which natural language a text is written in: py3langid's shipped model (a naive-Bayes
classifier over byte n-grams, 97+ languages, ~5 MB, no download), lazily loaded.

One identifier serves both the English check of the input (:mod:`wordlens.diff.corpus_notes`) and
the exact property "is written in German" (:mod:`wordlens.properties`). For the property, the
identifier is restricted to the languages found in the data (``among``), which makes short
texts far less likely to be assigned a language nobody wrote in. A cheap stop-word count
(:func:`clearly_english`) skips loading the model for corpora that plainly are English.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

#: English function words; ordinary English prose has 30-50 % of its words in this set
ENGLISH_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with from by as is are was were be been it its "
    "this that these those i you he she we they me my your his her our their not no so if "
    "do does did have has had will would can could there what which who just very all".split())
#: a corpus with at least this share of English function words (and Latin script) is English
#: without asking the model
CLEARLY_ENGLISH_SHARE = 0.25
#: a language is "present" when at least this share of a corpus' texts (and 3 texts) is
#: identified as it with at least MIN_CONFIDENCE
MIN_LANGUAGE_SHARE = 0.05
MIN_CONFIDENCE = 0.9
UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SAMPLE = 2000

#: English names of the ISO 639-1 codes py3langid reports most often
NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ko": "Korean", "la": "Latin",
    "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay", "mt": "Maltese", "nb": "Norwegian",
    "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}


def language_name(code: str) -> str:
    """'German' for 'de'; unknown codes stay visible as the code."""
    return NAMES.get(code, f"the language with ISO 639 code '{code}'")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=16)
def _restricted(among: tuple[str, ...]):
    ident = _identifier()
    if not among:
        return ident
    sub = copy.copy(ident)
    sub.set_languages([c for c in among if c in ident.nb_classes] or None)
    return sub


@lru_cache(maxsize=200_000)
def classify(text: str, among: tuple[str, ...] = ()) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language (``among``: restricted to these
    codes); ('und', 0.0) for a text without letters. Reads the first 2,000 characters."""
    t = text[:2000]
    if not any(ch.isalpha() for ch in t):
        return UNDETERMINED, 0.0
    code, p = _restricted(tuple(sorted(among))).classify(t)
    return str(code), float(p)


def identify(text: str, among: tuple[str, ...] = ()) -> str:
    """The code of the text's language (see :func:`classify`)."""
    return classify(text, among)[0]


def english_evidence(texts: Sequence[str]) -> tuple[float, float]:
    """(share of letters outside the Latin script, share of words that are English function
    words) over at most 2000 texts (every k-th); a count, no model."""
    letters = non_latin = n_words = n_stop = 0
    for t in _sample(texts):
        t = t[:2000]
        for ch in t:
            if ch.isalpha():
                letters += 1
                non_latin += ord(ch) > 0x24F  # beyond Latin Extended-B
        ws = [w.lower() for w in _WORD.findall(t)]
        n_words += len(ws)
        n_stop += sum(w in ENGLISH_STOPWORDS for w in ws)
    return (non_latin / letters if letters else 0.0, n_stop / n_words if n_words else 1.0)


def clearly_english(texts: Sequence[str]) -> bool:
    """True when English function words make up at least 25 % of the words and nearly all
    letters are Latin: English prose, no need to load the identifier."""
    non_latin, stop = english_evidence(texts)
    return non_latin < 0.05 and stop >= CLEARLY_ENGLISH_SHARE


def language_shares(texts: Sequence[str], min_confidence: float = 0.0) -> Counter[str]:
    """Share of the texts (at most 2000, every k-th) identified as each language (with at
    least ``min_confidence``)."""
    sample = _sample(texts)
    counts = Counter(c for c, p in map(classify, sample) if p >= min_confidence)
    counts.pop(UNDETERMINED, None)
    n = max(len(sample), 1)
    return Counter({k: v / n for k, v in counts.items()})


def languages_present(a: Sequence[str], b: Sequence[str], *, force: bool = False
                      ) -> list[str]:
    """Languages of at least 5 % (and 3) of the texts of A or of B (identified with
    probability >= 0.9), most common first; empty when both corpora are plainly English (the
    model is then not loaded, unless ``force``)."""
    if not force and clearly_english(a) and clearly_english(b):
        return []
    found: Counter[str] = Counter()
    for texts in (a, b):
        n = len(_sample(texts))
        for code, share in language_shares(texts, MIN_CONFIDENCE).items():
            if share >= MIN_LANGUAGE_SHARE and share * n >= 3:
                found[code] = max(found[code], share)
    return [c for c, _ in found.most_common()]


def _sample(texts: Sequence[str]) -> Sequence[str]:
    step = max(1, len(texts) // _SAMPLE)
    return texts[::step]
