"""The text encoder protocol: texts in, unit vectors out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors.

    ``encode(texts)`` returns an array of shape ``[len(texts), dimension]``; ``name`` is
    shown in reports and keys caches.
    """

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...
