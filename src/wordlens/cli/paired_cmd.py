"""Option checks of `wordlens diff --paired / --pair-id / --by` (before any heavy work)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def check_paired_options(b: Path | None, paired: tuple[str, str] | None, pair_id: str | None,
                         by: str | None, reference: str | None, inputs: list) -> list:
    """One clear error for a combination of corpus arguments and pairing / group options
    that does not make sense; returns ``inputs`` (the input paths) when they do."""
    if by is not None and (paired is not None or pair_id is not None):
        raise InputError("--by compares groups; it does not combine with --paired / --pair-id")
    if reference is not None and by is None:
        raise InputError("--reference needs --by FIELD (the field naming the groups)")
    if by is not None:
        if b is not None:
            raise InputError("--by FIELD takes one file (its rows name their group); got "
                             "two corpora")
        return inputs
    if b is None and paired is None:
        raise InputError("missing argument B (corpus B): give two corpora, or one file with "
                         "--paired A_FIELD B_FIELD or --by FIELD")
    if b is not None and paired is not None and pair_id is None:
        raise InputError("--paired with two files needs --pair-id FIELD to join their rows")
    return inputs
