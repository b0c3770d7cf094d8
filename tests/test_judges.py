import numpy as np
import pytest

from wordlens.hypothesis import Hypothesis
from wordlens.judges import EmbeddingJudge, FeatureJudge, OfflineJudge
from wordlens.judges.embedding import split_contrast

from .conftest import read_jsonl


def test_feature_judge_keywords_and_properties_are_exact():
    texts = ["I love this film!", "Is the price right?", "the movie was long", "@bob see you"]
    hyps = [Hypothesis("film words", form={"kind": "keywords", "words": ["film", "the movie"]}),
            Hypothesis("asks a question", form={"kind": "property", "name": "question"}),
            Hypothesis("mentions", form={"kind": "property", "name": "mention"}),
            Hypothesis("short", form={"kind": "property", "name": "x", "max_words": 4})]
    m = FeatureJudge().judge(hyps, texts)
    np.testing.assert_array_equal(m, [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1]])


def test_feature_judge_refuses_free_text():
    with pytest.raises(ValueError, match="no programmatic form"):
        FeatureJudge().judge([Hypothesis("is about sports")], ["x"])


def test_judge_output_contract_counts_judgments(encoder):
    j = OfflineJudge(encoder)
    hyps = [Hypothesis("is about sports"), Hypothesis("q", form={"kind": "property",
                                                                  "name": "question"})]
    m = j.judge(hyps, ["Chelsea won the match 2-0.", "Is this a question?", "hello"])
    assert m.shape == (2, 3) and m.min() >= 0 and m.max() <= 1
    assert j.judgments_made == 6
    assert list(m[1]) == [0, 1, 0]


def test_embedding_judge_reads_topics_on_real_news(encoder, datasets):
    tech = read_jsonl(datasets / "bbc_tech_vs_sports" / "a.jsonl", limit=40)
    sport = read_jsonl(datasets / "bbc_tech_vs_sports" / "b.jsonl", limit=40)
    m = EmbeddingJudge(encoder).judge([Hypothesis("is about sports, athletes or matches")],
                                      tech + sport)[0]
    assert m[40:].mean() - m[:40].mean() > 0.5


def test_contrast_is_split_and_borrows_the_verb():
    assert split_contrast("is a personal post rather than a film review") == (
        "is a personal post", "is a film review")
    assert split_contrast("mentions prices instead of features") == (
        "mentions prices", "mentions features")
    assert split_contrast("is about sports") == ("is about sports", None)


def test_contrast_requires_beating_the_contrasted_side(encoder):
    j = EmbeddingJudge(encoder)
    texts = ["The film's acting was wooden and the plot dull.", "lol cant wait 4 the weekend"]
    plain = j.judge([Hypothesis("is a review")], texts)[0]
    contrast = j.judge([Hypothesis("is a review rather than a film review")], texts)[0]
    assert contrast[0] <= plain[0]


def test_encoder_reuses_the_persistent_cache(tmp_path, monkeypatch):
    from wordlens.encoders import SentenceEncoder

    monkeypatch.setenv("WORDLENS_CACHE_DIR", str(tmp_path / "cache"))
    texts = ["a first sentence", "another one"]
    first = SentenceEncoder(cache=True).encode(texts)
    again = SentenceEncoder(cache=True)
    np.testing.assert_array_equal(again.encode(texts), first)
    assert again._model is None  # nothing was recomputed: the model was never loaded


def test_long_texts_are_judged_by_their_best_half_of_passages():
    from wordlens.judges.embedding import aggregate_passages

    p = np.array([[0.1, 0.9, 0.5, 0.2, 0.7]])
    np.testing.assert_allclose(aggregate_passages(p, np.array([0, 1, 1, 1, 2]), 3),
                               [[0.1, 0.7, 0.7]])


def test_long_tech_articles_read_as_tech_by_passages(encoder, datasets):
    tech = read_jsonl(datasets / "bbc_tech_vs_sports" / "a.jsonl", limit=20)
    sport = read_jsonl(datasets / "bbc_tech_vs_sports" / "b.jsonl", limit=20)
    assert min(len(t.split()) for t in tech) > 60  # every text is judged by passages
    h = [Hypothesis("is about technology, computers, software or the internet")]
    m = EmbeddingJudge(encoder).judge(h, tech + sport)[0]
    assert m[:20].mean() - m[20:].mean() > 0.3
