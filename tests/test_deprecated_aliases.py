"""Old import paths keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("module, name, new", [
    ("wordlens.distill", "StudentJudge", "wordlens.judges.student"),
    ("wordlens.distill", "FastStudentJudge", "wordlens.judges.student"),
    ("wordlens.distill", "JointEncodingJudge", "wordlens.judges.joint"),
    ("wordlens.llm", "LLMJudge", "wordlens.judges.llm"),
    ("wordlens.llm", "LLMProposer", "wordlens.proposers.llm"),
    ("wordlens.llm", "build_judge", "wordlens.judges.llm"),
    ("wordlens.llm", "build_proposer", "wordlens.proposers.llm"),
    ("wordlens.llm.factory", "build_judge", "wordlens.judges.llm"),
    ("wordlens.llm.factory", "build_proposer", "wordlens.proposers.llm"),
])
def test_moved_names_warn_and_are_the_new_objects(module, name, new):
    with pytest.warns(DeprecationWarning, match="moved"):
        old = getattr(importlib.import_module(module), name)
    assert old is getattr(importlib.import_module(new), name)


def test_unknown_names_still_raise_attribute_errors():
    import wordlens.distill
    import wordlens.llm

    for mod in (wordlens.distill, wordlens.llm):
        with pytest.raises(AttributeError):
            mod.NoSuchThing  # noqa: B018
