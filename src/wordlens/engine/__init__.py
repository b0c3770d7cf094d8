"""Engines: where the per-text work runs (in this process, or on a Ray cluster), merged as
per-hypothesis sufficient statistics so that no process holds the hypotheses x texts matrix."""

from __future__ import annotations

from .base import Engine, InProcessEngine

ENGINES = ("inprocess", "ray")

__all__ = ["ENGINES", "Engine", "InProcessEngine", "make_engine"]


def make_engine(spec: str | Engine | None, *, address: str | None = None,
                num_cpus: int | None = None) -> Engine:
    """``inprocess`` (default) or ``ray`` (``address``, else ``$RAY_ADDRESS``, else a local
    instance)."""
    if isinstance(spec, Engine):
        return spec
    name = (spec or "inprocess").strip().lower().replace("-", "")
    if name == "inprocess":
        return InProcessEngine()
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(address, num_cpus=num_cpus)
    from ..errors import InputError

    raise InputError(f"--engine: unknown engine {spec!r}; choose from {', '.join(ENGINES)}")
