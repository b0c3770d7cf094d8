"""Text encoders behind one protocol (:class:`TextEncoder`: ``encode(texts)`` -> unit
vectors, ``name``, ``dimension``): the MiniLM sentence encoder that ships with wordlens and
the static token table distilled from it (fast, approximate)."""

from .base import TextEncoder
from .minilm import EncoderUser, SentenceEncoder, bundled_minilm_path, default_encoder
from .static import StaticTextEncoder

__all__ = ["EncoderUser", "SentenceEncoder", "StaticTextEncoder", "TextEncoder",
           "bundled_minilm_path", "default_encoder"]
