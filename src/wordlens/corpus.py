"""Loading text corpora from files, folders or Python objects, with one-line errors."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

SUPPORTED = (".jsonl, .json (one object per line), .csv, .tsv, .parquet, .txt, or a folder of "
             ".txt files")
DEFAULT_TEXT_FIELDS = ("text", "sentence", "content", "review", "body", "document")


@dataclass(frozen=True)
class Corpus:
    """A named list of texts, and where they came from."""

    name: str
    texts: list[str]
    source: str = "python"
    n_blank_dropped: int = 0
    extra: dict[str, list[Any]] = field(default_factory=dict, compare=False)

    def __len__(self) -> int:
        return len(self.texts)


def as_corpus(data: Any, name: str = "corpus", *, text_field: str | None = None,
              encoding: str = "utf-8", extra_fields: Sequence[str] = ()) -> Corpus:
    """Turn a path, a list of strings, or a pandas Series/DataFrame into a :class:`Corpus`."""
    if isinstance(data, Corpus):
        return data
    if isinstance(data, (str, Path)):
        return load_corpus(data, text_field=text_field, encoding=encoding,
                           extra_fields=extra_fields)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        col = _pick_field(list(data.columns), text_field, f"DataFrame {name!r}")
        extra = {f: data[f].tolist() for f in extra_fields}
        return _from_values(data[col].tolist(), name, "python", extra)
    if pd is not None and isinstance(data, pd.Series):
        return _from_values(data.tolist(), name, "python", {})
    if isinstance(data, Iterable):
        return _from_values(list(data), name, "python", {})
    raise InputError(f"{name}: expected a file path, a list of strings or a pandas Series, "
                     f"got {type(data).__name__}")


def load_corpus(path: str | Path, *, text_field: str | None = None, encoding: str = "utf-8",
                extra_fields: Sequence[str] = ()) -> Corpus:
    """Load texts from a file or folder. The format is chosen by the file extension."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or directory")
    if p.is_dir():
        return _load_dir(p, encoding)
    suffix = "".join(p.suffixes[-1:]).lower()
    loaders = {".jsonl": _load_jsonl, ".ndjson": _load_jsonl, ".json": _load_jsonl,
               ".csv": _load_delimited, ".tsv": _load_delimited, ".parquet": _load_parquet,
               ".txt": _load_lines, ".text": _load_lines}
    loader = loaders.get(suffix)
    if loader is None:
        raise InputError(f"{p}: unsupported file type {suffix or '(none)'!r}; use {SUPPORTED}")
    enc = file_encoding(p, encoding)
    try:
        values, extra = loader(p, text_field=text_field, encoding=enc,
                               extra_fields=tuple(extra_fields))
    except UnicodeError as exc:
        raise decode_error(p, enc, exc) from None
    except OSError as exc:
        raise read_error(p, exc) from None
    if any(isinstance(v, str) and "\x00" in v for v in values):  # e.g. UTF-16 read as UTF-8
        raise InputError(f"{p}: the texts contain NUL characters, so {enc.replace('-sig', '')}"
                         f" is probably the wrong encoding{_encoding_hint(p, enc)}")
    return _from_values(values, p.stem, str(p), extra)


def _from_values(values: list[Any], name: str, source: str, extra: dict[str, list[Any]]
                 ) -> Corpus:
    texts: list[str] = []
    kept_extra: dict[str, list[Any]] = {k: [] for k in extra}
    blank = 0
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and v != v):
            blank += 1
            continue
        if not isinstance(v, str):
            raise InputError(f"{source}: item {i + 1} is {type(v).__name__}, expected text")
        if not v.strip():
            blank += 1
            continue
        texts.append(v)
        for k in extra:
            kept_extra[k].append(extra[k][i])
    if not texts:
        raise InputError(f"{source}: corpus {name!r} is empty (no non-blank texts)")
    return Corpus(name=name, texts=texts, source=source, n_blank_dropped=blank, extra=kept_extra)


def _pick_field(fields: list[str], text_field: str | None, where: str) -> str:
    if text_field is not None:
        if text_field not in fields:
            raise InputError(f"{where}: no field {text_field!r}; available: "
                             f"{', '.join(map(str, fields)) or '(none)'}")
        return text_field
    for f in DEFAULT_TEXT_FIELDS:
        if f in fields:
            return f
    if len(fields) == 1:
        return fields[0]
    raise InputError(f"{where}: cannot tell which field holds the text; pass --text-field "
                     f"(available: {', '.join(map(str, fields))})")


#: byte-order marks and the codec that reads (and drops) each; UTF-32 LE starts like UTF-16 LE
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _bom_encoding(p: Path) -> str | None:
    try:
        with open(p, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def file_encoding(p: str | Path, encoding: str = "utf-8") -> str:
    """The codec to read ``p`` with. With UTF-8 (the default) a byte-order mark at the start
    of the file decides: UTF-8, UTF-16 or UTF-32, the mark itself dropped. Any other
    ``encoding`` is used as given."""
    try:
        if codecs.lookup(encoding).name != "utf-8":
            return encoding
    except LookupError:
        return encoding
    return _bom_encoding(Path(p)) or encoding


def _encoding_hint(p: Path, encoding: str) -> str:
    """What to pass instead of ``encoding``, from a look at the file's first bytes."""
    bom = _bom_encoding(p)
    if bom is not None and codecs.lookup(bom).name != codecs.lookup(encoding).name:
        return (f"; the file starts with a {bom.replace('-sig', '').upper()} byte-order mark: "
                f"pass --encoding {bom.replace('-sig', '')}")
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        head = b""
    even, odd = head[0::2], head[1::2]
    if head and odd.count(0) > len(odd) // 4 and even.count(0) < len(even) // 8:
        return "; it looks like UTF-16 without a byte-order mark: pass --encoding utf-16-le"
    if head and even.count(0) > len(even) // 4 and odd.count(0) < len(odd) // 8:
        return "; it looks like UTF-16 without a byte-order mark: pass --encoding utf-16-be"
    if codecs.lookup(encoding).name != "utf-8":
        try:  # incremental: a character cut at the end of the sample is no error
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "; it looks like UTF-8: pass --encoding utf-8 (the default)"
        except UnicodeDecodeError:
            pass
    return "; pass the right encoding, e.g. --encoding latin-1"


def decode_error(p: str | Path, encoding: str, exc: UnicodeError) -> InputError:
    """The one-line error for a file that ``encoding`` cannot decode, naming the file, the
    encoding, where it failed and the encoding to try."""
    p = Path(p)
    where = (f"byte {exc.start}" if isinstance(exc, UnicodeDecodeError)
             else str(exc).rstrip("."))
    return InputError(f"{p}: cannot decode bytes as {encoding.replace('-sig', '')} ({where})"
                      f"{_encoding_hint(p, encoding)}")


def read_error(p: str | Path, exc: OSError) -> InputError:
    """The one-line error for a file that cannot be read (permissions, a folder, I/O)."""
    reason = exc.strerror or type(exc).__name__
    return InputError(f"{p}: cannot read it ({reason})")


def iter_jsonl(p: Path, encoding: str = "utf-8", *, decode_hint: str = ""
               ) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line of a JSON Lines file; malformed
    JSON (naming the line), undecodable bytes or an unreadable file are an
    :class:`InputError`. A byte-order mark decides the encoding as in
    :func:`file_encoding`. (``decode_hint`` is no longer used: the error names what to
    pass.)"""
    encoding = file_encoding(p, encoding)
    try:
        fh = open(p, encoding=encoding)
    except OSError as exc:
        raise read_error(p, exc) from None
    with fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{p}:{lineno}: malformed JSON ({exc.msg})") from None
                yield lineno, value
        except UnicodeError as exc:
            raise decode_error(p, encoding, exc) from None
        except OSError as exc:
            raise read_error(p, exc) from None


def _load_jsonl(p: Path, *, text_field: str | None, encoding: str,
                extra_fields: tuple[str, ...]) -> tuple[list[Any], dict[str, list[Any]]]:
    values: list[Any] = []
    extra: dict[str, list[Any]] = {f: [] for f in extra_fields}
    field_name = text_field
    for lineno, obj in iter_jsonl(p, encoding):
        if isinstance(obj, str):
            if text_field is not None:
                raise InputError(f"{p}:{lineno}: line is a bare string, but --text-field "
                                 f"{text_field!r} was given")
            values.append(obj)
            continue
        if not isinstance(obj, dict):
            raise InputError(f"{p}:{lineno}: expected a JSON object or string, got "
                             f"{type(obj).__name__}")
        if field_name is None:
            field_name = _pick_field(list(obj), None, f"{p}:{lineno}")
        if field_name not in obj:
            raise InputError(f"{p}:{lineno}: missing field {field_name!r}; available: "
                             f"{', '.join(obj) or '(none)'}")
        for f in extra_fields:
            if f not in obj:
                raise InputError(f"{p}:{lineno}: missing field {f!r}")
            extra[f].append(obj[f])
        v = obj[field_name]
        if v is not None and not isinstance(v, str):
            raise InputError(f"{p}:{lineno}: field {field_name!r} is "
                             f"{type(v).__name__}, expected text")
        values.append(v)
    return values, extra


def _load_delimited(p: Path, *, text_field: str | None, encoding: str,
                    extra_fields: tuple[str, ...]) -> tuple[list[Any], dict[str, list[Any]]]:
    import pandas as pd

    sep = "\t" if p.suffix.lower() == ".tsv" else ","
    try:
        df = pd.read_csv(p, sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
                         quoting=csv.QUOTE_MINIMAL)
    except pd.errors.EmptyDataError:
        raise InputError(f"{p}: file is empty") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{p}: cannot parse as {'TSV' if sep == chr(9) else 'CSV'} "
                         f"({str(exc).strip().splitlines()[-1]})") from None
    return _columns(df, p, text_field, extra_fields)


def _columns(df: Any, p: Path, text_field: str | None, extra_fields: tuple[str, ...]
             ) -> tuple[list[Any], dict[str, list[Any]]]:
    """The text column (chosen or guessed) and the extra columns of a table."""
    col = _pick_field([str(c) for c in df.columns], text_field, str(p))
    for f in extra_fields:
        if f not in df.columns:
            raise InputError(f"{p}: no column {f!r}; available: {', '.join(map(str, df.columns))}")
    return df[col].tolist(), {f: df[f].tolist() for f in extra_fields}


def _load_parquet(p: Path, *, text_field: str | None, encoding: str,
                  extra_fields: tuple[str, ...]) -> tuple[list[Any], dict[str, list[Any]]]:
    import pandas as pd

    try:
        df = pd.read_parquet(p)
    except Exception as exc:  # pyarrow raises several types for bad files
        raise InputError(f"{p}: cannot read as Parquet ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    return _columns(df, p, text_field, extra_fields)


def _load_lines(p: Path, *, text_field: str | None, encoding: str,
                extra_fields: tuple[str, ...]) -> tuple[list[Any], dict[str, list[Any]]]:
    if text_field is not None:
        raise InputError(f"{p}: --text-field does not apply to plain text (one text per line)")
    if extra_fields:
        raise InputError(f"{p}: plain text has no fields; use JSONL or CSV for "
                         f"{', '.join(extra_fields)}")
    with open(p, encoding=encoding) as fh:
        return [line.rstrip("\r\n") for line in fh], {}


def _load_dir(p: Path, encoding: str) -> Corpus:
    files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() == ".txt")
    if not files:
        raise InputError(f"{p}: folder has no .txt files")
    texts: list[str] = []
    for f in files:
        enc = file_encoding(f, encoding)
        try:
            texts.append(f.read_text(encoding=enc).strip())
        except UnicodeError as exc:
            raise decode_error(f, enc, exc) from None
        except OSError as exc:
            raise read_error(f, exc) from None
    return _from_values(texts, p.name, str(p), {})
