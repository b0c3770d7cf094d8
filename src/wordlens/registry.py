"""Build judges and proposers from short user-facing specs ("offline", "student:PATH", ...).

Each family keeps a table from a spec prefix to a factory, so a new backend is one new
module plus one `register_*` call.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import InputError
from .judges.base import Judge
from .proposers.base import Proposer

JudgeFactory = Callable[[str], Judge]
ProposerFactory = Callable[[str], Proposer]

_JUDGES: dict[str, tuple[JudgeFactory, str]] = {}
_PROPOSERS: dict[str, tuple[ProposerFactory, str]] = {}


def register_judge(prefix: str, factory: JudgeFactory, help: str) -> None:
    """Register a judge spec prefix; ``factory`` receives the text after ``prefix:``."""
    _JUDGES[prefix] = (factory, help)


def register_proposer(prefix: str, factory: ProposerFactory, help: str) -> None:
    _PROPOSERS[prefix] = (factory, help)


def _split(spec: str) -> tuple[str, str]:
    prefix, _, rest = spec.partition(":")
    return prefix.strip().lower(), rest.strip()


def make_judge(spec: str | None) -> Judge:
    """``offline`` (default), ``embedding``, ``exact``, or any registered prefix."""
    _load_builtin()
    prefix, rest = _split(spec or "offline")
    if prefix not in _JUDGES:
        raise InputError(f"--judge: unknown judge {spec!r}; choose from "
                         f"{', '.join(sorted(_JUDGES))}")
    return _JUDGES[prefix][0](rest)


def make_proposer(spec: str | None) -> Proposer:
    """``offline`` (default), ``properties``, ``topics``, ``phrases``, or a registered prefix.
    Several specs joined by ``+`` are combined and screened together."""
    _load_builtin()
    spec = spec or "offline"
    parts = [p for p in spec.split("+") if p.strip()]
    built = []
    for part in parts:
        prefix, rest = _split(part)
        if prefix not in _PROPOSERS:
            raise InputError(f"--proposer: unknown proposer {part!r}; choose from "
                             f"{', '.join(sorted(_PROPOSERS))}")
        built.append(_PROPOSERS[prefix][0](rest))
    if len(built) == 1:
        return built[0]
    from .proposers.offline import OfflineProposer

    return OfflineProposer(sources=built)


def available() -> dict[str, dict[str, str]]:
    _load_builtin()
    return {"judges": {k: v[1] for k, v in _JUDGES.items()},
            "proposers": {k: v[1] for k, v in _PROPOSERS.items()}}


_LOADED = False


def _load_builtin() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from .judges.embedding import EmbeddingJudge
    from .judges.features import FeatureJudge
    from .judges.offline import OfflineJudge
    from .proposers.contrastive import ContrastivePhraseProposer
    from .proposers.offline import OfflineProposer
    from .proposers.properties import PropertyProposer
    from .proposers.stance import TargetStanceProposer
    from .proposers.topics import TopicProposer

    register_judge("offline", lambda _: OfflineJudge(),
                   "exact judges for properties/keywords, zero-shot embedding otherwise")
    register_judge("embedding", lambda _: EmbeddingJudge(),
                   "zero-shot embedding similarity for every hypothesis")
    register_judge("exact", lambda _: FeatureJudge(),
                   "only hypotheses with a programmatic form")
    register_proposer("offline", lambda _: OfflineProposer(),
                      "properties + topic inventory + contrastive phrases + target stance")
    register_proposer("properties", lambda _: PropertyProposer(), "general text properties")
    register_proposer("topics", lambda _: TopicProposer(), "generic topic/genre inventory")
    register_proposer("phrases", lambda _: ContrastivePhraseProposer(),
                      "contrastive words and phrases grouped into concepts")
    register_proposer("stance", lambda _: TargetStanceProposer(),
                      "speaks favourably / critically of targets both sides name")
    # Optional families register themselves when their modules import cleanly.
    for mod in ("wordlens.llm.register", "wordlens.distill.register",
                "wordlens.learned.register"):
        try:
            __import__(mod)
        except ModuleNotFoundError as exc:
            if exc.name is None or not mod.startswith(exc.name):
                raise
