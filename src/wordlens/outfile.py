"""The one place wordlens writes output files: checked before any work, written atomically.

- ``check_output_file`` / ``check_output_dir`` run before a command does any work: the target
  must be (or be creatable as) a regular file / a folder in a writable folder, and must not be
  one of the command's inputs (paths are compared after resolving symlinks).
- ``write_atomic`` writes a temporary file in the target's folder and renames it over the
  target, so an interrupted run leaves either the old file or the new one, never half of one.
  The new file gets normal permissions (0666 minus the umask, or the mode of the file it
  replaces), not the 0600 of a temporary file.
- Symlinks are **followed**: ``--out link.json`` replaces the file the link points to and keeps
  the link. Devices, FIFOs, sockets and folders are never replaced.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError

PathLike = str | os.PathLike


def resolve_output(path: PathLike) -> Path:
    """The path that will really be written: ``~`` expanded, symlinks followed."""
    return Path(os.path.realpath(Path(path).expanduser()))


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _same(a: Path, b: PathLike) -> bool:
    rb = Path(os.path.realpath(Path(b).expanduser()))
    if a == rb:
        return True
    try:
        return a.exists() and rb.exists() and os.path.samefile(a, rb)
    except OSError:
        return False


def _check_not_input(real: Path, shown: PathLike, inputs: Iterable[PathLike | None],
                     flag: str) -> None:
    for inp in inputs:
        if inp is not None and str(inp) and _same(real, inp):
            raise InputError(f"{flag} {shown}: is also an input or another output of this "
                             f"command ({inp}); refusing to overwrite it, give another name")


def _check_parent(real: Path, shown: PathLike, flag: str) -> None:
    parent = _nearest_existing(real.parent)
    if not parent.is_dir():
        raise InputError(f"{flag} {shown}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{flag} {shown}: folder {parent} is not writable")


def check_output_file(path: PathLike, *, inputs: Iterable[PathLike | None] = (),
                      flag: str = "--out") -> Path:
    """Check, before any work, that ``path`` can be written as a regular file; returns the
    resolved path. Raises :class:`InputError` naming ``flag`` otherwise."""
    if not str(path).strip():
        raise InputError(f"{flag}: empty file name")
    real = resolve_output(path)
    if real.exists():
        mode = os.stat(real).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{flag} {path}: is a folder; give a file name")
        if not stat.S_ISREG(mode):
            raise InputError(f"{flag} {path}: is not a regular file (a device, pipe or socket); "
                             "wordlens writes only regular files")
        if not os.access(real, os.W_OK):
            raise InputError(f"{flag} {path}: exists and is read-only")
    _check_not_input(real, path, inputs, flag)
    _check_parent(real, path, flag)
    return real


def check_output_dir(path: PathLike, *, inputs: Iterable[PathLike | None] = (),
                     flag: str = "--out") -> Path:
    """Check, before any work, that ``path`` is or can be created as a writable folder."""
    if not str(path).strip():
        raise InputError(f"{flag}: empty folder name")
    real = resolve_output(path)
    if real.exists():
        if not real.is_dir():
            raise InputError(f"{flag} {path}: exists and is not a folder")
        if not os.access(real, os.W_OK | os.X_OK):
            raise InputError(f"{flag} {path}: folder is not writable")
    _check_not_input(real, path, inputs, flag)
    for inp in inputs:
        if inp is not None and str(inp) and real.exists() and real.is_dir():
            ri = Path(os.path.realpath(Path(inp).expanduser()))
            if real in ri.parents and ri.name in ("a.jsonl", "b.jsonl"):
                raise InputError(f"{flag} {path}: holds the input {inp}; give another folder")
    _check_parent(real, path, flag)
    return real


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask is process-wide, threads may run)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def write_atomic(path: PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Symlinks are followed (the link's target is replaced, the link kept); missing parent
    folders are created; a folder, device, FIFO or socket at ``path`` is never replaced."""
    real = resolve_output(path)
    mode = 0o666 & ~_umask()
    if real.exists():
        st = os.stat(real)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise InputError(f"{path}: is {kind}; not replacing it")
        mode = stat.S_IMODE(st.st_mode)
    real.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=str(real.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return Path(path)
