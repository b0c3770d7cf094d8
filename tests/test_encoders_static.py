"""The static text encoder: imitates the sentence encoder, round-trips, tokenises exactly."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.encoders import StaticTextEncoder, TextEncoder
from wordlens.errors import NotFittedError


def test_static_encoder_imitates_the_sentence_encoder_on_unseen_texts(static_encoder,
                                                                      fast_slice, encoder):
    texts, _ = fast_slice
    held_out = texts[1::2]
    target = encoder.encode(held_out)
    fitted = (static_encoder.encode(held_out) * target).sum(axis=1)
    untuned = StaticTextEncoder(encoder, epochs=0).fit(texts[::2])
    before = (untuned.encode(held_out) * target).sum(axis=1)
    assert fitted.mean() > before.mean() + 0.05
    assert fitted.mean() > 0.5
    # and it tells texts apart: each held-out text is closest to its own embedding more
    # often than chance
    sims = static_encoder.encode(held_out) @ target.T
    assert (sims.argmax(axis=1) == np.arange(len(held_out))).mean() > 0.3


def test_both_encoders_follow_the_protocol(static_encoder, encoder):
    for enc in (static_encoder, encoder):
        assert isinstance(enc, TextEncoder)
        v = enc.encode(["A short review of a phone."])
        assert v.shape == (1, enc.dimension)
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert static_encoder.name == "static (distilled from all-MiniLM-L6-v2)"


def test_static_encoder_round_trip_and_errors(static_encoder, tmp_path, encoder):
    static_encoder.save(tmp_path / "static.npz")
    back = StaticTextEncoder.load(tmp_path / "static.npz", encoder)
    texts = ["A short review of a phone.", "The match ended in a draw."]
    np.testing.assert_allclose(back.encode(texts), static_encoder.encode(texts), atol=2e-3)
    assert static_encoder.encode([]).shape == (0, static_encoder.map_[0].shape[1])
    with pytest.raises(NotFittedError):
        StaticTextEncoder(encoder).encode(["x"])


def test_chunk_cached_tokenisation_equals_the_tokenizer_on_whole_texts(fast_slice, encoder):
    from tokenizers import Tokenizer

    from wordlens.encoders import bundled_minilm_path

    texts, _ = fast_slice
    tricky = ["", "   ", "a\x0bb c", "naïve café\u00a0résumé", "日本語のテキスト です",
              "x" * 3000, " ".join(["internationalization"] * 400), "5€ and £3 — “quoted” "
              "_under_score_ don't", "\u2028line\u2029sep\x85next", "😀😀 emoji!!",
              "tab\there\nnew\r\nline", "A" * 150 + " b " * 300]
    whole = Tokenizer.from_file(str(bundled_minilm_path() / "tokenizer.json"))
    whole.no_padding()
    whole.enable_truncation(max_length=128)
    expected = [e.ids for e in whole.encode_batch(texts + tricky)]
    static = StaticTextEncoder(encoder, max_tokens=128)
    assert static.token_ids(texts + tricky) == expected
    assert static.token_ids(tricky[::-1]) == expected[::-1][:len(tricky)]  # from the cache
