"""`wordlens diff FILE --by FIELD`: many groups at once."""

from __future__ import annotations

from typing import Any

from ..errors import InputError


def run_groups(a: Any, b: Any, **kw: Any) -> None:
    """Many-group comparison (not yet available in this build)."""
    raise InputError("--by: many-group comparison is not available yet")
