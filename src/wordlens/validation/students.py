"""The student of amortized verification: a given judge or folder, one kept in the cache for
this teacher, or one distilled on the fly (and then kept in the cache for the next run)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..hypothesis import Hypothesis
from ..judges.base import IDENTITY_KEYS, Judge


def teacher_identity(description: dict[str, Any] | None,
                     keys: Sequence[str] = IDENTITY_KEYS) -> dict[str, Any]:
    """The stable part of a judge's ``describe()`` (its ``keys``, the judge's
    :attr:`~wordlens.judges.base.JudgeTags.identity`): what decides its judgments, not how many
    it made, which server URL answered or what it cost."""
    d = description or {}
    out = {k: d[k] for k in keys if k in d}
    if isinstance(out.get("model"), dict):
        out["model"] = {k: v for k, v in out["model"].items() if k != "base_url"}
    return out


def teacher_key(judge: Judge) -> str:
    """Folder name of the cached student for this teacher."""
    blob = json.dumps(teacher_identity(judge.describe(), judge.tags.identity), sort_keys=True,
                      default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@dataclass
class StudentChoice:
    """The student used, where it came from and what it cost in teacher judgments."""

    judge: Judge
    source: str  # "given", "folder", "cache", "distilled", "zero-shot"
    path: str | None = None
    teacher_calls: int = 0
    same_teacher: bool | None = None
    notes: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None

    def describe(self) -> dict[str, Any]:
        d = {"source": self.source, "path": self.path, "judge": self.judge.describe(),
             "teacher_calls": self.teacher_calls, "same_teacher": self.same_teacher}
        if self.report:
            d["distillation"] = self.report
        return d


def provide_student(teacher: Judge, train_texts: Sequence[str],
                    hypotheses: Sequence[Hypothesis], *, budget: int,
                    student: Judge | str | Path | None = None,
                    cache_dir: str | Path | None = None, kind: str = "standard",
                    seed: int = 0, log: Callable[[str], None] | None = None) -> StudentChoice:
    """A student for ``teacher``.

    ``student`` may be a judge (used as it is), or a folder: a student saved there is loaded;
    an empty or missing folder receives the one distilled now. Without it the cache folder
    ``<cache_dir>/students/<teacher key>`` plays that role (``cache_dir=None``: no cache).
    Distillation spends at most ``budget`` teacher judgments on the ``train_texts`` (never on
    the texts that statistics are measured on); when it is impossible (too few texts,
    hypotheses, budget, or labels of one class) the zero-shot offline judge is the student.
    """
    if isinstance(student, Judge):
        same = _same_teacher(student.teacher_, teacher)
        return StudentChoice(student, "given", same_teacher=same)
    folder = Path(student) if student is not None else (
        Path(cache_dir) / "students" / teacher_key(teacher) if cache_dir is not None else None)
    if folder is not None and (folder / "student.json").exists():
        return _load(folder, teacher, "folder" if student is not None else "cache")
    choice = _distil(teacher, train_texts, hypotheses, budget, kind, seed, log)
    if folder is not None and choice.source == "distilled":
        _keep(choice, folder, given=student is not None)
    return choice


def _keep(choice: StudentChoice, folder: Path, *, given: bool) -> None:
    """Save the student distilled now to ``folder`` (as one unit; a student another run
    saved there meanwhile is kept). A cache folder that cannot be written costs only the
    reuse (a note says so); a ``--student`` folder that cannot is an error."""
    try:
        written = choice.judge.save_new(folder, extra={  # type: ignore[attr-defined]
            "made_by": "wordlens diff --verify amortized"})
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if given:
            raise InputError(f"--student {folder}: cannot write the student ({reason})"
                             ) from None
        choice.notes.append(f"The distilled student could not be kept in the cache "
                            f"({folder}: {reason}); the next run distils one again.")
        return
    if written:
        choice.path = str(folder)
    else:
        choice.notes.append(f"Another run saved a student to {folder} while this run "
                            "distilled its own; this run used its own, the folder keeps "
                            "the other.")


def _load(folder: Path, teacher: Judge, source: str) -> StudentChoice:
    from ..judges.student import StudentJudge

    if folder.exists() and not folder.is_dir():
        raise InputError(f"--student {folder}: not a folder")
    judge = StudentJudge.load(folder)
    same = _same_teacher(judge.teacher_, teacher)
    notes = [] if same else [
        f"The student in {folder} was distilled from another judge than this run's teacher; "
        "prediction-powered inference keeps the statistics valid, the intervals may be wider."]
    return StudentChoice(judge, source, path=str(folder), same_teacher=same, notes=notes)


def _same_teacher(description: dict[str, Any] | None, teacher: Judge) -> bool | None:
    if not description:
        return None
    keys = teacher.tags.identity
    return teacher_identity(description, keys) == teacher_identity(teacher.describe(), keys)


def _distil(teacher: Judge, texts: Sequence[str], hypotheses: Sequence[Hypothesis],
            budget: int, kind: str, seed: int,
            log: Callable[[str], None] | None) -> StudentChoice:
    from ..distill import distill, make_student

    spent = teacher.meter()
    # distill() also measures agreement on 5 held-out texts x up to 10 hypotheses
    train_budget = budget - 5 * min(len(hypotheses), 10)
    try:
        if train_budget < 20:
            raise InputError(f"a training budget of {budget} teacher judgments is too small")
        student, report = distill(teacher, texts, hypotheses, budget=train_budget,
                                  student=make_student(kind, seed=seed), unseen_fraction=0.0,
                                  heldout_fraction=0.1, eval_pairs=0, seed=seed, log=log)
    except InputError as exc:
        return _zero_shot(spent.judgments, f"no student could be distilled ({exc}); the "
                                           "zero-shot offline judge served as the student")
    calls = spent.judgments
    seen = report.seen_hypotheses
    seen = seen.to_dict() if hasattr(seen, "to_dict") else dict(seen or {})
    summary = {"teacher_calls": calls, "train_pairs": report.teacher_calls.get("training"),
               "heldout_agreement": {k: _finite(seen.get(k)) for k in (
                   "n_pairs", "accuracy", "majority_baseline", "cohen_kappa")}}
    return StudentChoice(student, "distilled", teacher_calls=calls, same_teacher=True,
                         report=summary)


def _zero_shot(calls: int, note: str) -> StudentChoice:
    from ..judges.offline import OfflineJudge

    return StudentChoice(OfflineJudge(), "zero-shot", teacher_calls=calls, notes=[note])


def _finite(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 4) if math.isfinite(x) else None
    return x
