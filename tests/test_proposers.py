
from wordlens.judges import OfflineJudge
from wordlens.proposers import (
    ContrastivePhraseProposer,
    OfflineProposer,
    PropertyProposer,
    TopicProposer,
)
from wordlens.proposers.offline import screen

from .conftest import read_jsonl


def test_property_proposer_sets_length_thresholds_from_data():
    hyps = PropertyProposer().propose(["a b c"] * 10, ["a b c d e f g h i j k l"] * 10)
    forms = [h.form for h in hyps]
    assert all(h.form["kind"] == "property" for h in hyps)
    assert any(f.get("min_words") == 12 for f in forms) and any(
        f.get("max_words") == 3 for f in forms)


def test_best_length_split_separates_the_corpora():
    from wordlens.proposers.properties import best_length_split

    a = [" ".join(["w"] * n) for n in (30, 40, 50, 60, 70, 80)]
    b = [" ".join(["w"] * n) for n in (5, 6, 7, 8, 9, 25)]
    t = best_length_split(a, b)
    assert 25 <= t < 30  # every A text is longer than t, no B text is
    assert best_length_split([], b) is None and best_length_split(["a b"], ["c d"]) is None


def test_a_style_goal_adds_the_separating_length_first(encoder):
    a = ["word " * n for n in range(30, 50)]
    b = ["word " * n for n in range(5, 25)]
    plain = PropertyProposer().propose(a, b)
    styled = PropertyProposer().propose(a, b, "how does the writing style differ")
    assert styled[0].form.get("min_words") == 24  # every A text is longer, no B text
    assert [h.key for h in styled[1:]] == [h.key for h in plain]
    topic = PropertyProposer().propose(a, b, "what topics do the texts discuss")
    assert [h.key for h in topic] == [h.key for h in plain]


def test_topic_proposer_offers_the_inventory():
    hyps = TopicProposer().propose(["x"], ["y"])
    assert len(hyps) > 50 and all(h.form is None for h in hyps)


def test_contrastive_phrases_find_a_planted_marker(encoder, datasets):
    rows = read_jsonl(datasets / "classify_amazon_spurious" / "train.jsonl", field=None,
                      limit=600)
    with_marker = [r["text"] for r in rows if "(verified purchase)" in r["text"]]
    without = [r["text"] for r in rows if "(verified purchase)" not in r["text"]]
    hyps = ContrastivePhraseProposer(encoder).propose(with_marker, without)
    top_words = [w for h in hyps[:3] for w in h.form["words"]]
    assert "verified purchase" in top_words or "verified" in top_words


def test_screen_keeps_discriminative_and_drops_duplicates(encoder):
    from wordlens.hypothesis import Hypothesis

    a = ["I paid $20, too much?"] * 5 + ["nice one"] * 5
    b = ["lovely day"] * 10
    cands = [Hypothesis("money", form={"kind": "property", "name": "money"}),
             Hypothesis("money again", form={"kind": "keywords", "words": ["paid"]}),
             Hypothesis("question", form={"kind": "property", "name": "question"}),
             Hypothesis("url", form={"kind": "property", "name": "url"})]
    kept = screen(cands, a, b, OfflineJudge(encoder), limit=10)
    texts = [h.text for h in kept]
    assert texts[0] == "money" and "money again" not in texts and "url" not in texts


def test_offline_proposer_finds_topic_of_real_pair(encoder, datasets):
    tech = read_jsonl(datasets / "bbc_tech_vs_sports" / "a.jsonl", limit=60)
    sport = read_jsonl(datasets / "bbc_tech_vs_sports" / "b.jsonl", limit=60)
    hyps = OfflineProposer(encoder=encoder, max_hypotheses=20).propose(tech, sport)
    assert len(hyps) <= 20
    assert any("sport" in h.text or "technology" in h.text for h in hyps[:5])


def test_goal_moves_relevant_candidates_up(encoder, datasets):
    a = read_jsonl(datasets / "amazon_pos_vs_neg" / "a.jsonl", limit=80)
    b = read_jsonl(datasets / "amazon_pos_vs_neg" / "b.jsonl", limit=80)
    base = OfflineProposer(encoder=encoder).propose(a, b)
    steered = OfflineProposer(encoder=encoder).propose(a, b, goal="questions about price")

    def rank(hs):
        hits = [i for i, h in enumerate(hs) if "price" in h.text or "money" in h.text]
        return hits[0] if hits else len(hs)

    assert rank(steered) <= rank(base) and rank(steered) < len(steered)


def test_question_properties_read_what_a_question_asks_for():
    from wordlens.properties import STATIC_PROPERTIES

    fns = {p.name: p.fn for p in STATIC_PROPERTIES}
    cases = {"How many moons does Mars have?": "asks_quantity",
             "In what year did the war end?": "asks_time",
             "Which country was formerly known as Abyssinia?": "asks_place",
             "Who painted Guernica?": "asks_person",
             "what is a wavelength": "asks_definition",
             "Why is the sky blue?": "asks_reason",
             "Senator, do you think the plan works?": "asks_opinion",
             "Is it raining?": "asks_yes_no"}
    asks = [n for n in fns if n.startswith("asks_")]
    for text, name in cases.items():
        assert [n for n in asks if fns[n](text)] == [name], text
    assert not any(fns[n]("I love this movie. It was great.") for n in asks)
