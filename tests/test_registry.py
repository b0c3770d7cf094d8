"""The registry: one table of judge and proposer specs, lazy, with install hints."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wordlens import registry
from wordlens.errors import BackendError, InputError, MissingExtra


def test_every_spec_is_listed_once_per_role():
    listed = registry.available()
    assert list(listed["judges"]) == ["offline", "embedding", "exact", "openai",
                                      "openai-compatible", "transformers", "student", "joint"]
    assert list(listed["proposers"]) == ["offline", "properties", "topics", "phrases", "stance",
                                         "openai",
                                         "openai-compatible", "transformers", "learned"]


def test_unknown_specs_and_missing_folders_are_input_errors():
    with pytest.raises(InputError, match="--judge: unknown judge 'nope'; choose from"):
        registry.make_judge("nope")
    with pytest.raises(InputError, match="--proposer: unknown proposer 'nope:x'"):
        registry.make_proposer("offline+nope:x")
    with pytest.raises(InputError, match="student:PATH"):
        registry.make_judge("student")


def test_a_missing_extra_names_its_install_command(monkeypatch):
    monkeypatch.setitem(registry.EXTRAS, "llm", ("wordlens_no_such_module",))
    with pytest.raises(MissingExtra) as err:
        registry.make_judge("openai:gpt-4o-mini")
    assert str(err.value) == ("--judge openai:gpt-4o-mini: needs the llm extra: "
                              "pip install 'wordlens[llm]'")
    with pytest.raises(BackendError, match=r"wordlens\[llm\]"):
        registry.make_proposer("offline+openai-compatible:m@http://localhost:1/v1")


def test_listing_specs_and_an_offline_proposer_load_no_optional_package():
    code = ("import sys; from wordlens import registry; registry.available(); "
            "registry.make_proposer('properties'); "
            "print(sorted(m for m in ('openai', 'transformers', 'torch', 'wordlens.llm') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
