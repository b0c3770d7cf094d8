"""Every judge and proposer spec in one table ("offline", "student:PATH", "openai:MODEL" ...).

A spec is ``PREFIX`` or ``PREFIX:ARGUMENT``. Each row names its prefix, what it builds, a
one-line help and the optional extra it needs; factories import their modules only when
called, so listing specs or building an offline judge loads no optional package. A spec
whose extra is not installed fails with the extra's install hint. A new judge or proposer
is one module plus one row here.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import InputError, MissingExtra
from .judges.base import Judge
from .proposers.base import Proposer

EXTRAS: dict[str, tuple[str, ...]] = {"llm": ("openai", "tenacity"),
                                      "transformers": ("transformers",)}
"""Modules a spec of each optional extra cannot run without (checked before building)."""


@dataclass(frozen=True)
class Spec:
    """One row of the registry: ``build(argument)`` makes the judge or proposer."""

    prefix: str
    role: str  # "judge" or "proposer"
    build: Callable[[str], Any]
    help: str
    extra: str | None = None


# ---- factories (lazy: each imports what it builds) --------------------------------------

def _offline_judge(_: str) -> Judge:
    from .judges.offline import OfflineJudge

    return OfflineJudge()


def _embedding_judge(_: str) -> Judge:
    from .judges.embedding import EmbeddingJudge

    return EmbeddingJudge()


def _exact_judge(_: str) -> Judge:
    from .judges.features import FeatureJudge

    return FeatureJudge()


def _student_judge(path: str) -> Judge:
    from .judges.student import StudentJudge

    if not path:
        raise InputError("--judge student:PATH: give the folder written by `wordlens distill`")
    return StudentJudge.load(path)


def _joint_judge(_: str) -> Judge:
    from .judges.joint import JointEncodingJudge

    return JointEncodingJudge()


def _llm_judge(prefix: str) -> Callable[[str], Judge]:
    def build(rest: str) -> Judge:
        from .judges.llm import build_judge

        return build_judge(f"{prefix}:{rest}")
    return build


def _offline_proposer(_: str) -> Proposer:
    from .proposers.offline import OfflineProposer

    return OfflineProposer()


def _properties_proposer(_: str) -> Proposer:
    from .proposers.properties import PropertyProposer

    return PropertyProposer()


def _topics_proposer(_: str) -> Proposer:
    from .proposers.topics import TopicProposer

    return TopicProposer()


def _phrases_proposer(_: str) -> Proposer:
    from .proposers.contrastive import ContrastivePhraseProposer

    return ContrastivePhraseProposer()


def _stance_proposer(_: str) -> Proposer:
    from .proposers.stance import TargetStanceProposer

    return TargetStanceProposer()


def _learned_proposer(path: str) -> Proposer:
    from .proposers.learned.model import LearnedProposer

    if not path:
        raise InputError("--proposer learned:PATH: give the folder written by "
                         "`wordlens train-proposer`")
    return LearnedProposer.load(path)


def _llm_proposer(prefix: str) -> Callable[[str], Proposer]:
    def build(rest: str) -> Proposer:
        from .proposers.llm import build_proposer

        return build_proposer(f"{prefix}:{rest}")
    return build


_LLM_HELP = {
    "openai": ("OpenAI chat model, e.g. openai:gpt-4o-mini (key from $OPENAI_API_KEY)",
               "llm"),
    "openai-compatible": ("any OpenAI-compatible server (vLLM, Ollama, llama.cpp), e.g. "
                          "openai-compatible:NAME@http://localhost:8000/v1", "llm"),
    "transformers": ("local Hugging Face causal LM, e.g. transformers:/path/to/model",
                     "transformers"),
}

SPECS: tuple[Spec, ...] = (
    Spec("offline", "judge", _offline_judge,
         "exact judges for properties/keywords, zero-shot embedding otherwise"),
    Spec("embedding", "judge", _embedding_judge,
         "zero-shot embedding similarity for every hypothesis"),
    Spec("exact", "judge", _exact_judge, "only hypotheses with a programmatic form"),
    *(Spec(p, "judge", _llm_judge(p), "LLM judge: " + h, extra)
      for p, (h, extra) in _LLM_HELP.items()),
    Spec("student", "judge", _student_judge,
         "a distilled bi-encoder student: student:FOLDER"),
    Spec("joint", "judge", _joint_judge,
         "EXPENSIVE stand-in teacher: one MiniLM pass per (hypothesis, text) pair"),
    Spec("offline", "proposer", _offline_proposer,
         "properties + topic inventory + contrastive phrases + target stance"),
    Spec("properties", "proposer", _properties_proposer, "general text properties"),
    Spec("topics", "proposer", _topics_proposer, "generic topic/genre inventory"),
    Spec("phrases", "proposer", _phrases_proposer,
         "contrastive words and phrases grouped into concepts"),
    Spec("stance", "proposer", _stance_proposer,
         "speaks favourably / critically of targets both sides name"),
    *(Spec(p, "proposer", _llm_proposer(p), "LLM proposer: " + h, extra)
      for p, (h, extra) in _LLM_HELP.items()),
    Spec("learned", "proposer", _learned_proposer,
         "a learned inverse proposer (amortized search): learned:FOLDER from "
         "`wordlens train-proposer`"),
)
"""Every spec, in the order ``available()`` lists them."""


def _split(spec: str) -> tuple[str, str]:
    prefix, _, rest = spec.partition(":")
    return prefix.strip().lower(), rest.strip()


def _table(role: str) -> dict[str, Spec]:
    return {s.prefix: s for s in SPECS if s.role == role}


def check_spec(role: str, spec: str, flag: str | None = None) -> Spec:
    """The registry row of ``spec`` (a ``judge`` or ``proposer`` spec), checked without
    building anything: an unknown prefix is an :class:`InputError`, a missing optional
    extra a :class:`MissingExtra`, both naming ``flag`` (default ``--ROLE``)."""
    flag = flag or f"--{role}"
    prefix, _ = _split(spec)
    table = _table(role)
    if prefix not in table:
        raise InputError(f"{flag}: unknown {role} {spec!r}; choose from "
                         f"{', '.join(sorted(table))}")
    row = table[prefix]
    if row.extra is not None:
        missing = [m for m in EXTRAS[row.extra] if importlib.util.find_spec(m) is None]
        if missing:
            raise MissingExtra(f"{flag} {spec}: needs the {row.extra} extra: "
                               f"pip install 'wordlens[{row.extra}]'")
    return row


def _build(role: str, spec: str) -> Any:
    return check_spec(role, spec).build(_split(spec)[1])


def make_judge(spec: str | None) -> Judge:
    """``offline`` (default), ``embedding``, ``exact``, or any prefix in :data:`SPECS`."""
    return _build("judge", spec or "offline")


def make_proposer(spec: str | None) -> Proposer:
    """``offline`` (default), ``properties``, ``topics``, ``phrases``, or any prefix in
    :data:`SPECS`. Several specs joined by ``+`` are combined and screened together."""
    parts = [p for p in (spec or "offline").split("+") if p.strip()]
    built = [_build("proposer", part) for part in parts]
    if len(built) == 1:
        return built[0]
    from .proposers.offline import OfflineProposer

    return OfflineProposer(sources=built)


def available() -> dict[str, dict[str, str]]:
    """Help line of every judge and proposer prefix."""
    return {f"{role}s": {s.prefix: s.help for s in SPECS if s.role == role}
            for role in ("judge", "proposer")}
