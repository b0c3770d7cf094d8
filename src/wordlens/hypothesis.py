"""A hypothesis: a predicate about a single text, in words."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Hypothesis:
    """A natural-language predicate about one text, e.g. ``"mentions prices or money"``.

    Parameters
    ----------
    text:
        The predicate in words. It completes the sentence
        "compared to B, a text in A more often ..." (third person singular).
    source:
        Name of the proposer that produced it (``"user"`` when given by hand).
    form:
        Optional programmatic form that an exact judge can evaluate instead of reading the
        words, e.g. ``{"kind": "keywords", "words": ["film", "movie"]}``. Judges that cannot
        use it (an LLM judge) judge ``text`` only.
    """

    text: str
    source: str = "user"
    form: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError("Hypothesis.text must be a non-empty string")

    @property
    def key(self) -> str:
        """Stable identity: the text plus the programmatic form, if any."""
        if self.form is None:
            return self.text
        return self.text + " ||| " + json.dumps(self.form, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "form": _plain(self.form)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Hypothesis:
        return cls(text=data["text"], source=data.get("source", "user"), form=data.get("form"))


def as_hypotheses(items: Any) -> list[Hypothesis]:
    """Accept strings or Hypothesis objects; return a de-duplicated list in order."""
    out: list[Hypothesis] = []
    seen: set[str] = set()
    for item in items:
        h = item if isinstance(item, Hypothesis) else Hypothesis(str(item))
        if h.key not in seen:
            seen.add(h.key)
            out.append(h)
    return out


def _plain(form: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if form is None:
        return None
    return json.loads(json.dumps(form))


def read_hypothesis_lines(path: Path) -> list[str]:
    """The non-blank lines of a text file of hypotheses, ``#`` comment lines left out."""
    from .corpus import decode_error, file_encoding, read_error

    encoding = file_encoding(path)  # UTF-8, or what a byte-order mark says (mark dropped)
    try:
        lines = path.read_text(encoding=encoding).splitlines()
    except UnicodeError as exc:
        raise decode_error(path, encoding, exc) from None
    except OSError as exc:
        raise read_error(path, exc) from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def read_hypothesis_jsonl(path: Path, default_source: str = "user") -> list[Hypothesis]:
    """Hypotheses from a JSON Lines file: one object per line with a non-empty ``text`` and
    optional ``form`` (object) and ``source``; a bare JSON string is a hypothesis too."""
    from .corpus import iter_jsonl
    from .errors import InputError

    out = []
    for lineno, obj in iter_jsonl(path):
        if isinstance(obj, str):
            obj = {"text": obj}
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) \
                or not obj["text"].strip():
            raise InputError(f"{path}:{lineno}: expected an object with a non-empty 'text'")
        form = obj.get("form")
        if form is not None and not isinstance(form, dict):
            raise InputError(f"{path}:{lineno}: field 'form' must be an object or null")
        source = obj.get("source", default_source)
        out.append(Hypothesis(obj["text"].strip(), source if isinstance(source, str)
                              else default_source, form))
    if not out:
        raise InputError(f"{path}: no hypotheses")
    return out


def load_hypotheses(paths: Sequence[str | Path]) -> list[Hypothesis]:
    """Hypotheses from .txt files (one per line, # comments), .jsonl files (field ``text``,
    optional ``form``) or wordlens diff result .json."""
    from .errors import InputError
    from .result import DiffResult

    out: list[Hypothesis] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix.lower() == ".json":
            try:
                res = DiffResult.load(path)
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}: not a wordlens diff result JSON ({exc})") from None
            except OSError as exc:
                from .corpus import read_error

                raise read_error(path, exc) from None
            out += [Hypothesis(h.hypothesis, h.source, h.form) for h in res.hypotheses]
            continue
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a .txt, .jsonl or result .json file")
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            out += read_hypothesis_jsonl(path)
            continue
        out += [Hypothesis(ln) for ln in read_hypothesis_lines(path)]
    hyps = as_hypotheses(out)
    if not hyps:
        raise InputError(f"{', '.join(map(str, paths))}: no hypotheses (one per line)")
    return hyps
