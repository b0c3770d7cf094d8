"""`wordlens diff FILE --by FIELD`: many groups at once (called by diff_cmd)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from ..errors import InputError

_NOT_WITH_BY = {"verify": "--verify", "fast": "--fast", "engine": "--engine",
                "decompose": "--decompose", "replay": "--replay",
                "confirm_with": "--confirm-with"}


def run_groups(a: Path, b: Path | None, *, by: str, reference: str | None, judge: Any,
               proposer: Any, hypotheses: Any, seed: int, max_texts: int | None,
               alpha: float, text_field: str | None, encoding: str, goal: str | None,
               out: Path | None, show: int, console: Console,
               options: dict[str, Any]) -> None:
    """Load ``a`` grouped by ``by``, compare the groups, print the matrix, save the JSON."""
    used = [flag for k, flag in _NOT_WITH_BY.items()
            if options.get(k) not in (None, False, "exhaustive")]
    if used:
        raise InputError(f"--by: {', '.join(used)} do(es) not take many groups yet; run "
                         "without")
    from ..groups import diff_groups, load_groups
    from ..groups_display import print_groups

    by_group, source = load_groups(a, by, text_field=text_field, encoding=encoding)
    result = diff_groups(by_group, reference=reference, proposer=proposer, judge=judge,
                         hypotheses=hypotheses, goal=goal, seed=seed, max_texts=max_texts,
                         alpha=alpha, field=by, source=source)
    print_groups(result, console, top=show)
    if out is not None:
        result.save(out)
        console.print(f"wrote {out}", style="dim")
