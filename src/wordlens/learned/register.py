"""Proposer spec of this package: ``learned:PATH`` (alone, or e.g. ``offline+learned:PATH``)."""

from __future__ import annotations

from ..errors import InputError
from ..registry import register_proposer


def _learned(path: str):
    from ..proposers.learned.model import LearnedProposer

    if not path:
        raise InputError("--proposer learned:PATH: give the folder written by "
                         "`wordlens train-proposer`")
    return LearnedProposer.load(path)


register_proposer("learned", _learned, "a learned inverse proposer (amortized search): "
                                       "learned:FOLDER from `wordlens train-proposer`")
