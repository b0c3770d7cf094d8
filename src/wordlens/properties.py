"""A bank of general text properties, each with an exact (programmatic) judge.

These are candidate hypotheses that need no model: they are counted, not guessed. The words
of each property say exactly what its judge checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .textutil import sentences, words

_URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_HASHTAG = re.compile(r"(?<!\w)#[A-Za-z]\w*")
_NUMBER = re.compile(r"\d")
_MONEY = re.compile(r"[$£€¥]\s?\d|\d\s?(dollars?|bucks|pounds|euros?|cents?)\b|\b(price[sd]?|"
                    r"cost[s]?|cheap(er|est)?|expensive|afford(able)?|paid|pay|money|refund)\b",
                    re.IGNORECASE)
_EMOTICON = re.compile(r"(?:[:;=8][\-o\*']?[\)\]\(\[dDpP/\\|@3]|<3|\^_\^|[\U0001F300-\U0001FAFF"
                       r"\u2600-\u27BF])")
_ALLCAPS = re.compile(r"\b[A-Z]{3,}\b")
_ELONGATED = re.compile(r"([a-zA-Z])\1{2,}|[!?]{2,}|\.{4,}")
_QUOTE = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|''[^']{3,}''")
_DATE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                   r"february|march|april|june|july|august|september|october|november|"
                   r"december|today|tonight|tomorrow|yesterday|weekend|(19|20)\d\d)\b",
                   re.IGNORECASE)
_FIRST_PERSON = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll", "im", "ive"}
_FIRST_PLURAL = {"we", "us", "our", "ours", "ourselves", "we're", "we've"}
_SECOND_PERSON = {"you", "your", "yours", "yourself", "you're", "you've", "u", "ur"}
_NEGATION = {"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot",
             "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't",
             "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't",
             "dont", "doesnt", "didnt", "isnt", "wasnt", "cant", "wont"}
_INFORMAL = {"lol", "lmao", "omg", "haha", "hahaha", "gonna", "wanna", "gotta", "yeah", "yep",
             "nope", "u", "ur", "thx", "pls", "plz", "btw", "idk", "tbh", "ya", "dude", "cuz",
             "kinda", "sorta", "ok", "okay", "hey", "wow", "yay", "ugh", "lil", "xoxo", "bday",
             "ain't", "y'all", "im", "dont", "cant", "wont", "nah", "aww", "hmm"}
_HEDGES = {"maybe", "perhaps", "might", "possibly", "probably", "seems", "seem", "somewhat",
           "guess", "suppose", "apparently", "likely", "unlikely", "could"}
_COMPARATIVE = {"better", "worse", "best", "worst", "than", "compared", "versus", "vs"}
_RECOMMEND = {"recommend", "recommended", "recommends", "buy", "avoid", "worth", "must-see",
              "skip", "return", "returned"}


# -- what a question asks for (question word + answer type) --------------------------------
_WH_START = re.compile(r"^\W*(?:(?:in|on|at|by|for|from|to|of|and|so|but|then|ok|okay|well)\s+)?"
                       r"(what|what's|whats|which|who|who's|whom|whose|where|where's|when|why|"
                       r"how)\b", re.IGNORECASE)
_AUX_START = re.compile(r"^\W*(is|are|was|were|am|do|does|did|can|could|will|would|should|"
                        r"shall|may|might|must|have|has|had|isn't|aren't|don't|doesn't|didn't|"
                        r"can't|won't)\b", re.IGNORECASE)
_ASKS_QUANTITY = re.compile(r"\bhow\s+(many|much|long|old|far|big|tall|high|large|often|fast|"
                            r"deep|heavy|wide)\b|\bwhat\s+(percentage|percent|number|amount|"
                            r"size|proportion)\b", re.IGNORECASE)
_ASKS_TIME = re.compile(r"^\W*(?:\w+\s+){0,2}when\b|\b(what|which)\s+(year|date|time|day|"
                        r"month|century|decade|season|era)\b", re.IGNORECASE)
_NOT_VERB = r"(?:(?!(?:is|was|were|are|did|does|do|has|had|can|will)\b)[\w\-]+\s+)"
_ASKS_PLACE = re.compile(r"\bwhere\b|\b(what|which)\s+" + _NOT_VERB + r"{0,2}"
                         r"(country|countries|city|cities|"
                         r"state|place|continent|island|river|mountain|town|capital|nation|"
                         r"region|location|ocean|sea|lake|planet|street|province|county)\b",
                         re.IGNORECASE)
_ASKS_PERSON = re.compile(r"\b(who|whom|whose|who's)\b|\b(what|which)\s+" + _NOT_VERB + r"{0,3}"
                          r"(person|people|man|woman|men|women|president|king|queen|actor|"
                          r"actress|singer|artist|author|writer|poet|painter|composer|player|"
                          r"scientist|inventor|leader|celebrity|star|politician|musician|"
                          r"director|designer|explorer|emperor|astronaut|athlete)\b",
                          re.IGNORECASE)
_ASKS_DEFINITION = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|then)\s+)?(what|what's|whats)\s+"
                              r"(is|are|was)\s+(a|an|the)?\s*[\w\-]+(\s+[\w\-]+)?\W*$|"
                              r"\bwhat\s+does\s+.+\s+(mean|stand\s+for)\b|\b(define|definition"
                              r"\s+of|meaning\s+of|stands?\s+for)\b", re.IGNORECASE)
_ASKS_REASON = re.compile(r"^\W*(?:(?:so|and|but|then)\s+)?(why|how\s+come)\b|\bfor\s+what"
                          r"\s+reason\b|\bwhat\s+(causes|caused|made|makes)\b|\bexplain\s+why\b",
                          re.IGNORECASE)
_ASKS_HOW = re.compile(r"\bhow\s+(do|does|did|can|could|should|would|to|is|are)\b",
                       re.IGNORECASE)
_ASKS_OPINION = re.compile(r"\b(do|did|would)\s+you\s+(think|believe|feel|agree|support|"
                           r"favor|favour|oppose|say)\b|\bwhat\s+(do|would)\s+you\s+(think|"
                           r"say|do)\b|\byour\s+(opinion|view|views|position|plan|answer|"
                           r"response)\b", re.IGNORECASE)


@lru_cache(maxsize=100_000)
def questions_in(text: str) -> tuple[str, ...]:
    """The text's questions: sentences ending with '?', or starting with a question word (what,
    who, where, ...) and at most 20 words long (short questions often lack the '?')."""
    out = []
    for s in sentences(text):
        for part in re.split(r"(?<=\?)\s+", s):
            part = part.strip()
            if part.endswith("?") or (_WH_START.match(part) and len(part.split()) <= 20):
                out.append(part)
    return tuple(out)


def _asks(pattern: re.Pattern[str]) -> Callable[[str], float]:
    return lambda t: float(any(pattern.search(q) for q in questions_in(t)))


def _asks_yes_no(t: str) -> float:
    return float(any(q.endswith("?") and _AUX_START.match(q) for q in questions_in(t)))


def _asks_reason_or_how(t: str) -> float:
    qs = questions_in(t)
    return float(any(_ASKS_REASON.search(q) or (_ASKS_HOW.search(q) and not
                                                _ASKS_QUANTITY.search(q)) for q in qs))


#: what a question asks for, each judged exactly from the question word and the noun after it
#: (the answer type), in the text's questions only (see :func:`questions_in`)
QUESTION_PROPERTIES: tuple[tuple[str, str, Callable[[str], float]], ...] = (
    ("asks_quantity", "asks for a number or an amount (how many, how much, how old, what "
     "percentage ...)", _asks(_ASKS_QUANTITY)),
    ("asks_time", "asks when something happened: a date, a year or a time (when, what year "
     "...)", _asks(_ASKS_TIME)),
    ("asks_place", "asks for a place (where, which country, what city ...)", _asks(_ASKS_PLACE)),
    ("asks_person", "asks for a person (who, whose, which actor, what president ...)",
     _asks(_ASKS_PERSON)),
    ("asks_definition", "asks for a definition or what an abbreviation stands for (what is X, "
     "what does X mean ...)", _asks(_ASKS_DEFINITION)),
    ("asks_reason", "asks for a reason, an explanation or a method (why, how come, how does, "
     "how to ...)", _asks_reason_or_how),
    ("asks_opinion", "asks for someone's opinion, position or plan (do you think, your view "
     "...)", _asks(_ASKS_OPINION)),
    ("asks_yes_no", "asks a yes/no question (is it, do you, can we ...?)", _asks_yes_no),
)


@dataclass(frozen=True)
class Property:
    """A named property; ``text`` is the hypothesis in words, ``fn`` its exact judge."""

    name: str
    text: str
    fn: Callable[[str], float]


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def vader_lexicon() -> frozenset[str]:
    """The words of the VADER sentiment lexicon (lower case)."""
    return frozenset(w.lower() for w in _vader().lexicon)


#: VADER's scoring time grows with the square of the text length (20,000 characters: ~1 s,
#: 2 MB: hours), so sentiment properties read at most this many leading characters.
VADER_MAX_CHARS = 5000


@lru_cache(maxsize=200_000)
def vader_compound(text: str) -> float:
    """VADER compound sentiment score in [-1, 1] (lexicon and rules; ships with vaderSentiment)
    of the first :data:`VADER_MAX_CHARS` characters of ``text``."""
    return float(_vader().polarity_scores(text[:VADER_MAX_CHARS])["compound"])


def _any_word(vocab: set[str]) -> Callable[[str], float]:
    return lambda t: float(any(w in vocab for w in words(t)))


def _rx(pattern: re.Pattern[str]) -> Callable[[str], float]:
    return lambda t: float(bool(pattern.search(t)))


def _lower_only(t: str) -> float:
    letters = [c for c in t if c.isalpha()]
    return float(len(letters) >= 10 and not any(c.isupper() for c in letters))


def _names(t: str) -> float:
    # capitalised words that do not start a sentence: a rough but exact count of names
    toks = re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}", t.strip())
    return float(len(toks) >= 2)


STATIC_PROPERTIES: tuple[Property, ...] = (
    Property("question", "asks a question (contains '?')", lambda t: float("?" in t)),
    Property("exclamation", "uses exclamation marks", lambda t: float("!" in t)),
    Property("number", "mentions a number (contains a digit)", _rx(_NUMBER)),
    Property("money", "mentions prices, costs or money", _rx(_MONEY)),
    Property("url", "contains a web link (URL)", _rx(_URL)),
    Property("mention", "is a social-media style message that addresses another user with "
             "an @mention", _rx(_MENTION)),
    Property("hashtag", "uses #hashtags, as social-media posts do", _rx(_HASHTAG)),
    Property("emoticon", "uses emoticons or emoji", _rx(_EMOTICON)),
    Property("first_person", "is written in the first person singular (I, me, my)",
             _any_word(_FIRST_PERSON)),
    Property("first_plural", "speaks as a group in the first person plural (we, us, our)",
             _any_word(_FIRST_PLURAL)),
    Property("second_person", "addresses the reader directly (you, your)",
             _any_word(_SECOND_PERSON)),
    Property("negation", "uses negation (not, no, never, n't)", _any_word(_NEGATION)),
    Property("informal", "uses informal or chat language (lol, gonna, yeah, omg, ...)",
             _any_word(_INFORMAL)),
    Property("hedging", "hedges or expresses uncertainty (maybe, perhaps, might, probably)",
             _any_word(_HEDGES)),
    Property("comparison", "makes a comparison (better, worse, best, than)",
             _any_word(_COMPARATIVE)),
    Property("recommendation", "recommends for or against something (recommend, worth, avoid)",
             _any_word(_RECOMMEND)),
    Property("all_caps", "uses ALL-CAPS words for emphasis", _rx(_ALLCAPS)),
    Property("elongation", "stretches words or punctuation for emphasis (sooo, !!!, ...)",
             _rx(_ELONGATED)),
    Property("quotation", "quotes someone's words in quotation marks", _rx(_QUOTE)),
    Property("time_reference", "refers to a day, date or time (today, Friday, 2004, ...)",
             _rx(_DATE)),
    Property("lowercase_only", "is written entirely in lower case", _lower_only),
    Property("names", "mentions named people, places or organisations (capitalised names)",
             _names),
    Property("positive", "expresses positive sentiment such as praise, satisfaction or "
             "enjoyment", lambda t: float(vader_compound(t) >= 0.05)),
    Property("negative", "expresses negative sentiment such as complaint, disappointment or "
             "criticism", lambda t: float(vader_compound(t) <= -0.05)),
    Property("strong_positive", "is strongly positive, enthusiastic",
             lambda t: float(vader_compound(t) >= 0.6)),
    Property("strong_negative", "is strongly negative, angry or scathing",
             lambda t: float(vader_compound(t) <= -0.6)),
    Property("neutral", "is neutral or factual in tone, with no clear sentiment",
             lambda t: float(abs(vader_compound(t)) < 0.05)),
    *(Property(name, text, fn) for name, text, fn in QUESTION_PROPERTIES),
)

_BY_NAME = {p.name: p for p in STATIC_PROPERTIES}


def length_property(min_words: int | None = None, max_words: int | None = None) -> Property:
    """'is long' / 'is short' relative to a word-count threshold chosen from the data."""
    if min_words is not None:
        return Property(f"longer_than_{min_words}", f"is long (more than {min_words} words)",
                        lambda t: float(len(words(t)) > min_words))
    assert max_words is not None
    return Property(f"shorter_than_{max_words}", f"is short (fewer than {max_words} words)",
                    lambda t: float(len(words(t)) < max_words))


def language_property(code: str, among: tuple[str, ...] | list[str] = ()) -> Property:
    """'is written in German': the language identifier (:mod:`wordlens.language`), restricted
    to the languages ``among`` (those found in the data), names the text's language."""
    from .language import identify, language_name

    among = tuple(sorted(set(among) | {code})) if among else ()
    return Property(f"language_{code}", f"is written in {language_name(code)}",
                    lambda t: float(identify(t, among) == code))


def property_from_form(form: dict) -> Property:
    """Rebuild the property named in a hypothesis' programmatic form."""
    name = form.get("name")
    if "language" in form:
        return language_property(str(form["language"]), tuple(form.get("among", ())))
    if "min_words" in form:
        return length_property(min_words=int(form["min_words"]))
    if "max_words" in form:
        return length_property(max_words=int(form["max_words"]))
    if name not in _BY_NAME:
        raise KeyError(f"unknown property {name!r}")
    return _BY_NAME[name]
