"""Text encoders: the MiniLM sentence encoder that ships with wordlens and the static token
table distilled from it. Both turn texts into unit vectors with ``encode(texts)``."""

from .minilm import EncoderUser, SentenceEncoder, bundled_minilm_path, default_encoder

__all__ = ["EncoderUser", "SentenceEncoder", "StaticTextEncoder", "bundled_minilm_path",
           "default_encoder"]


def __getattr__(name: str):  # the static encoder pulls in the tokenizer lazily
    if name == "StaticTextEncoder":
        from .static import StaticTextEncoder

        return StaticTextEncoder
    raise AttributeError(name)
