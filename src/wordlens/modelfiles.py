"""Reading the folders wordlens writes trained models to (a JSON description + weights)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError


def read_model_meta(folder: str | Path, meta_file: str, weights_file: str, *, fmt: str,
                    what: str, made_by: str) -> dict[str, Any]:
    """The parsed ``folder/meta_file`` after checking both files exist and its ``format``
    field is ``fmt``; a one-line :class:`InputError` naming the file otherwise."""
    folder = Path(folder)
    meta_path = folder / meta_file
    if not meta_path.exists() or not (folder / weights_file).exists():
        raise InputError(f"{folder}: not a {what} folder (needs {meta_file} and "
                         f"{weights_file}; {made_by})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{meta_path}: malformed JSON ({exc.msg})") from None
    if not isinstance(meta, dict) or meta.get("format") != fmt:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise InputError(f"{meta_path}: field 'format' is {found!r}, expected {fmt!r}")
    return meta
