import numpy as np
import pytest

from wordlens.hypothesis import Hypothesis
from wordlens.judges import FeatureJudge
from wordlens.proposers.stance import TargetStanceProposer
from wordlens.stance import stance_holds, target_sentiment


def test_stance_reads_only_sentences_that_name_the_target():
    text = "Smith is a wonderful, honest leader. The weather was awful and terrible."
    assert target_sentiment(text, ["smith"]) > 0.05
    assert stance_holds(text, ["smith"], "favourable") == 1.0
    assert stance_holds(text, ["smith"], "critical") == 0.0
    assert target_sentiment(text, ["jones"]) is None
    assert stance_holds(text, ["jones"], "favourable") == 0.0
    with pytest.raises(ValueError):
        stance_holds(text, ["smith"], "neutral")


def test_feature_judge_judges_stance_forms_exactly():
    texts = ["Smith has failed us. Smith is a disaster.", "Smith is great and kind.", "Hi."]
    hyps = [Hypothesis("speaks critically of Smith",
                       form={"kind": "stance", "words": ["smith"], "polarity": "critical"}),
            Hypothesis("speaks favourably of Smith",
                       form={"kind": "stance", "words": ["smith"], "polarity": "favourable"})]
    np.testing.assert_array_equal(FeatureJudge().judge(hyps, texts), [[1, 0, 0], [0, 1, 0]])


def test_stance_proposer_finds_a_name_both_sides_use():
    good = ["Senator Smith did a great job today.", "We love Senator Smith and her plan.",
            "Smith helped our town.", "Thank you, Smith, for the wonderful work."] * 3
    bad = ["Smith failed the workers again.", "Senator Smith lied about the plan.",
           "Smith is a disaster for our town.", "Nobody trusts Smith any more."] * 3
    hyps = TargetStanceProposer(None).propose(good, bad)
    texts = {h.text for h in hyps}
    assert {"speaks favourably of Smith", "speaks critically of Smith"} <= texts
    assert all(h.form["kind"] in ("stance", "argues") for h in hyps)
    assert {"argues for Smith", "argues against Smith"} <= texts


AGAINST = ["Nuclear power is far too dangerous and the waste stays for thousands of years.",
           "We must shut down every nuclear plant before the next accident happens.",
           "Nuclear energy is expensive, risky and a gift to big corporations.",
           "Nobody wants a nuclear waste dump near their town.",
           "After Fukushima, building new nuclear reactors would be madness.",
           "Nuclear plants are targets for terrorists and we cannot protect them.",
           "The money for nuclear should go to wind and solar instead.",
           "Nuclear power plants leak and poison the rivers around them."]
FAVOUR = ["Nuclear power is the cleanest way to make electricity without carbon.",
          "We should build more nuclear plants to fight climate change.",
          "Modern nuclear reactors are safe and produce almost no emissions.",
          "France gets most of its electricity from nuclear and it works well.",
          "Nuclear energy keeps the lights on when the wind does not blow.",
          "Closing nuclear plants only means burning more coal.",
          "New small nuclear reactors will give cheap power to millions.",
          "Nuclear power has saved millions of lives by replacing coal."]


def test_stance_statements_target_the_shared_topic_not_a_constant_tag():
    a = [f"{t} #SemST" for t in AGAINST * 2]
    b = [f"{t} #SemST" for t in FAVOUR * 2]
    targets = TargetStanceProposer(None).targets(a, b)
    names = [n.lower() for _, n in targets]
    assert "semst" not in names and "nuclear" in names
    hyps = {h.text: h for h in TargetStanceProposer(None).propose(a, b)}
    h = next(h for t, h in hyps.items() if t.startswith("argues against") and "uclear" in t)
    assert h.form == {"kind": "argues", "words": h.form["words"], "side": "against"}


def test_offline_judge_reads_stance_statements_in_the_target_sentences(encoder):
    from wordlens.judges import OfflineJudge

    h = Hypothesis("argues against nuclear power",
                   form={"kind": "argues", "words": ["nuclear"], "side": "against"})
    texts = ["I had pasta for lunch. " + AGAINST[1], "The weather is fine today."]
    j = OfflineJudge(encoder).judge([h], texts)[0]
    assert j[1] == 0.0 and j[0] > 0.0
