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
    assert all(h.form["kind"] == "stance" for h in hyps)
