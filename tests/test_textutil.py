from wordlens.textutil import passages, sentences


def test_sentences_split_after_end_marks_and_line_breaks():
    assert sentences('It rained. She said "No!" Then 2004 came.\nNew line? yes') == [
        "It rained.", 'She said "No!"', "Then 2004 came.", "New line? yes"]


def test_passages_pack_whole_sentences_up_to_the_word_limit():
    text = " ".join(f"Sentence number {i} has exactly six words." for i in range(20))
    parts = passages(text, max_words=20)
    assert all(len(p.split()) <= 20 for p in parts)
    assert " ".join(parts) == text
    assert passages("a short text", max_words=20) == ["a short text"]
