"""A research goal orders the table by what it asks about; statistics do not change."""

from __future__ import annotations

import pytest

from wordlens.goal import (
    goal_divider,
    goal_relevance,
    goal_views,
    hypothesis_views,
    rank_for_goal,
)
from wordlens.hypothesis import Hypothesis
from wordlens.result import HypothesisResult

SPORT_EN = [
    "The striker scored twice as the home side won the derby.",
    "Their goalkeeper saved a penalty in the final minute of the match.",
    "The coach praised his players after a hard win away from home.",
    "She won the tennis final in three sets on a windy afternoon.",
    "The team climbed to second place in the league table.",
    "Fans celebrated in the streets after the cup victory.",
    "The captain was injured and will miss the next two games.",
    "A late goal gave the visitors a surprise draw.",
    "The runner broke the national record in the marathon.",
    "The club signed a young midfielder from the second division.",
    "Rain delayed the cricket match by two hours.",
    "The referee sent off two players in a bad-tempered game.",
    "The champions lost their first game of the season.",
    "The cyclist took the yellow jersey after a long climb.",
    "Both teams were tired in the second half of extra time.",
    "The boxer retired after his defeat in the title fight.",
]
TECH_DE = [
    "Das neue Smartphone hat einen schnelleren Prozessor und eine bessere Kamera.",
    "Die Firma hat ein Update für ihr Betriebssystem veröffentlicht.",
    "Viele Nutzer beschweren sich über den kurzen Akku des Laptops.",
    "Die Software stürzt ab, wenn man zu viele Fenster öffnet.",
    "Der Konzern investiert Milliarden in künstliche Intelligenz.",
    "Das Internet ist auf dem Land immer noch sehr langsam.",
    "Die App speichert alle Daten verschlüsselt auf dem Server.",
    "Ein neuer Chip soll den Stromverbrauch der Rechner halbieren.",
    "Hacker haben die Passwörter von Millionen Kunden gestohlen.",
    "Die Spielkonsole ist seit Wochen in allen Geschäften ausverkauft.",
    "Der Bildschirm des Tablets ist größer und heller als früher.",
    "Die Entwickler haben einen schweren Fehler im Programm gefunden.",
    "Immer mehr Menschen bezahlen mit dem Handy statt mit Bargeld.",
    "Das Unternehmen stellt einen Roboter für den Haushalt vor.",
    "Die Suchmaschine zeigt jetzt Antworten, die eine Maschine geschrieben hat.",
    "Der Speicher der Festplatte ist nach einem Jahr schon voll.",
]


@pytest.mark.parametrize("goal, view", [
    ("which subjects are covered", "topic"),
    ("differences in writing style", "style"),
    ("which language is used", "language"),
    ("what emotions do the writers express", "sentiment"),
    ("are the authors for or against abortion", "stance"),
])
def test_a_goal_asks_about_views(encoder, goal, view):
    assert goal_views(goal, encoder).views == (view,)


def test_each_hypothesis_has_a_view(encoder):
    hyps = [Hypothesis("x", form={"kind": "property", "name": "all_caps"}),
            Hypothesis("x", form={"kind": "property", "name": "negative"}),
            Hypothesis("x", form={"kind": "property", "name": "asks_place"}),
            Hypothesis("is written in German",
                       form={"kind": "property", "name": "language_de", "language": "de"}),
            Hypothesis("x", form={"kind": "keywords", "words": ["goal", "match"]}),
            Hypothesis("x", form={"kind": "keywords", "words": ["und", "zu", "das"]}),
            Hypothesis("x", form={"kind": "stance", "words": ["smith"],
                                  "polarity": "critical"}),
            Hypothesis("is a film review"), Hypothesis("is about sports, athletes or matches"),
            Hypothesis("is sad or disappointed"),
            Hypothesis("mentions football players and their clubs")]
    assert hypothesis_views(hyps, encoder) == [
        "style", "sentiment", "genre", "language", "topic", "language", "stance", "genre",
        "topic", "sentiment", "topic"]


def _row(text, rank, sig, on_goal):
    return HypothesisResult(rank=rank, hypothesis=text, direction="A", statement=text,
                            source="t", share_a=0.5, share_b=0.1, validity=0.4, ci_low=0.2,
                            ci_high=0.6, p_value=0.01, q_value=0.01 * rank, auc=0.7,
                            significant=sig, n_a=10, n_b=10, test="t", answers_goal=on_goal)


def test_rank_for_goal_puts_significant_goal_answers_first():
    rows = [_row("a", 1, True, False), _row("b", 2, False, True), _row("c", 3, True, True),
            _row("d", 4, True, False), _row("e", 5, True, True)]
    q = {r.hypothesis: r.q_value for r in rows}
    out = rank_for_goal(rows)
    assert [r.hypothesis for r in out] == ["c", "e", "a", "b", "d"]
    assert [r.rank for r in out] == [1, 2, 3, 4, 5]
    assert {r.hypothesis: r.q_value for r in out} == q
    assert [goal_divider(out, i) for i in range(5)] == [
        "answers the goal:", None, "other findings:", None, None]
    plain = [_row("a", 1, True, None), _row("b", 2, True, None)]
    assert [r.hypothesis for r in rank_for_goal(plain)] == ["a", "b"]
    assert goal_divider(plain, 0) is None


def test_goal_relevance_marks_the_asked_view(encoder):
    hyps = [Hypothesis("is about sports, athletes or matches"),
            Hypothesis("uses ALL-CAPS words for emphasis",
                       form={"kind": "property", "name": "all_caps"})]
    rel = goal_relevance("what are the texts about", hyps, encoder)
    assert list(rel.relevant) == [True, False]
    assert rel.relevance[0] > rel.relevance[1]


def test_diff_answers_the_goal_and_keeps_the_statistics(encoder):
    import wordlens
    from wordlens.judges import OfflineJudge

    judge = OfflineJudge(encoder)
    plain = wordlens.diff(SPORT_EN, TECH_DE, judge=judge)
    assert all(h.answers_goal is None and h.goal_relevance is None for h in plain.hypotheses)
    assert "goal" not in plain.settings
    languages = {h.hypothesis for h in plain.hypotheses if "language" in (h.form or {})}
    # English and German are one finding here (perfectly anti-correlated): one is kept
    assert languages and languages <= {"is written in English", "is written in German"}
    runs = {}
    for goal in ("which language is used", "what subjects do they cover"):
        res = wordlens.diff(SPORT_EN, TECH_DE, judge=judge, goal=goal)
        top = res.hypotheses[0]
        assert top.answers_goal and top.significant
        runs[goal] = res
    assert runs["which language is used"].hypotheses[0].hypothesis in languages
    topic_top = runs["what subjects do they cover"].hypotheses[0]
    assert hypothesis_views([Hypothesis(topic_top.hypothesis, form=topic_top.form)],
                            encoder) == ["topic"]
    assert runs["which language is used"].settings["goal"]["views"] == ["language"]
    from rich.console import Console

    from wordlens.diff.display import print_diff
    from wordlens.diff.report import render_html

    res = runs["which language is used"]
    page = render_html(res)
    assert "<b>answers the goal:</b>" in page and "asks about: language" in page
    console = Console(record=True, width=140)
    print_diff(res, console=console)
    shown = console.export_text()
    assert shown.index("answers the goal:") < shown.index(res.hypotheses[0].hypothesis)
    assert "answers the goal" not in render_html(plain)


def test_the_goal_changes_order_only(encoder):
    import wordlens
    from wordlens.judges import OfflineJudge

    hyps = ["is about sports, athletes or matches", "is about technology, computers, "
            "software or the internet", "uses exclamation marks"]
    judge = OfflineJudge(encoder)
    a = wordlens.diff(SPORT_EN, TECH_DE, judge=judge, hypotheses=hyps)
    b = wordlens.diff(SPORT_EN, TECH_DE, judge=judge, hypotheses=hyps,
                      goal="how are the texts written")
    stats = lambda r: {h.hypothesis: (h.validity, h.p_value, h.q_value)  # noqa: E731
                       for h in r.hypotheses}
    assert stats(a) == stats(b)


def test_an_llm_rates_relevance_d5_style(encoder):
    from wordlens.llm.factory import build_client

    from .llm_server import ScriptedLLMServer

    hyps = [Hypothesis("is about sports, athletes or matches"),
            Hypothesis("uses exclamation marks"), Hypothesis("mentions football clubs")]
    with ScriptedLLMServer(max_idle_s=900) as srv:   # a busy machine encodes slowly
        client = build_client("openai-compatible:scripted", base_url=srv.url, cache=False)
        rel = goal_relevance("which sports are discussed", hyps, encoder, client)
        kinds = [e.get("kind") for e in srv.log]
    assert kinds == ["relevance"]
    assert list(rel.relevant) == [True, False, False]   # the scripted rater: shared words
    assert list(rel.relevance) == [1.0, 0.0, 0.0] and rel.llm_rated == 3
    assert "LLM relevance rating" in rel.describe()["relevance_by"]
