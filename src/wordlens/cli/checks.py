"""Checks every command runs on its options before doing any work (one-line errors)."""

from __future__ import annotations

import codecs

from ..errors import InputError


def check_encoding(encoding: str, flag: str = "--encoding") -> None:
    """A text encoding Python knows (``utf-8``, ``latin-1``, ...)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"{flag} {encoding!r}: unknown text encoding (try utf-8 or "
                         "latin-1)") from None


def check_open_unit(value: float | None, flag: str) -> None:
    """``value`` strictly between 0 and 1 (a probability such as --alpha)."""
    if value is not None and not 0 < value < 1:
        raise InputError(f"{flag} {value}: must be between 0 and 1 (exclusive)")


def check_positive(value: float | None, flag: str) -> None:
    if value is not None and not value > 0:
        raise InputError(f"{flag} {value}: must be greater than 0")
