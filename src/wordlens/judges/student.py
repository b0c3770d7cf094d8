"""A distilled student judge: a text encoder plus a head.

Texts and hypotheses are encoded independently (and cached); a small learned head maps the
pair of vectors to logits, Platt scaling to a calibrated probability. Judging H hypotheses on
N texts costs N + H encoder passes plus a few matrix products, instead of H x N calls of the
teacher it imitates. Two compositions ship:

- standard: the MiniLM sentence encoder for texts and hypotheses, :class:`MLPHead`;
- fast (:func:`FastStudentJudge`): a static token-table encoder for texts, the sentence
  encoder for hypotheses (there are few), :class:`TwoTowerHead`.

Training (fitting the head, the static encoder and the calibration) is
:func:`wordlens.distill.distill`; this module only judges, saves and loads.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encoders import EncoderUser, SentenceEncoder, TextEncoder, default_encoder
from ..encoders.static import StaticTextEncoder
from ..errors import InputError
from ..hypothesis import Hypothesis
from ..modelfiles import read_model_meta
from ..stats import sigmoid
from .base import Judge
from .embedding import reference_descriptions, split_contrast
from .features import FeatureJudge
from .pair_features import text_stats
from .student_heads import HEADS, MLPHead, StudentHead, TwoTowerHead

FORMAT = "wordlens.student/1"

_NAMES = {"standard": ("distilled student (bi-encoder)", "StudentJudge"),
          "fast": ("distilled student (fast: static text encoder, two-tower head)",
                   "FastStudentJudge")}


# the end of a student's caveat; a run that confirmed its findings says so instead
CONFIRM_ADVICE = "Use --confirm-with to re-check the top findings with the teacher."


class StudentJudge(EncoderUser, Judge):
    """A student judge composed of encoders and a head.

    Parameters
    ----------
    encoder:
        Sentence encoder of hypotheses, and of texts unless ``text_encoder`` is given
        (default: the shipped all-MiniLM-L6-v2).
    head:
        The head (default: :class:`MLPHead` with ``head_settings`` and ``seed``).
    text_encoder:
        Encoder of texts when not the sentence encoder (e.g. a :class:`StaticTextEncoder`).
    template:
        How a hypothesis is phrased before encoding.
    exact_forms:
        Judge hypotheses that carry a programmatic form (properties, keyword lists) exactly,
        as the offline judge does, instead of by imitation.
    seed:
        Seed of the default head.
    head_settings:
        Settings of the default :class:`MLPHead` (``hidden``, ``n_members``, ``epochs``,
        ``lr``, ``weight_decay``).

    Fitted state: ``head`` trained, ``platt_`` (a, b), ``n_train_pairs_``, ``references_``
    (unit vectors of the generic descriptions, fixed at fit time and saved).
    """

    def __init__(self, encoder: SentenceEncoder | None = None, *,
                 head: StudentHead | None = None, text_encoder: TextEncoder | None = None,
                 template: str = "This text {h}.", exact_forms: bool = True, seed: int = 0,
                 **head_settings: Any):
        super().__init__()
        if head is not None and head_settings:
            raise TypeError(f"StudentJudge: give head settings ({', '.join(head_settings)}) "
                            "to the head, not next to it")
        self.encoder = encoder
        self.head = head if head is not None else MLPHead(seed=seed, **head_settings)
        self.text_encoder = text_encoder
        self.template = template
        self.exact_forms = exact_forms
        self.seed = seed

    @property
    def kind(self) -> str:
        """The composition saved as ``kind``: ``standard`` or ``fast`` (the head's kind)."""
        return self.head.kind

    @property
    def name(self) -> str:  # type: ignore[override]
        return _NAMES.get(self.kind, ("distilled student",))[0]

    # ---- encoding -------------------------------------------------------------------
    def texts_encoder(self) -> TextEncoder:
        """The encoder of texts: ``text_encoder`` if given, else the sentence encoder."""
        return self.text_encoder if self.text_encoder is not None else self._enc()

    def reference_vectors(self) -> np.ndarray:
        """Unit vectors of the generic descriptions (``wordlens/data/topics.txt``); fixed at
        fit time and saved with the student."""
        if getattr(self, "references_", None) is None:
            self.references_ = self._enc().encode(
                [self.phrase(r) for r in reference_descriptions()])
        return self.references_

    def encode_hypotheses(self, hypotheses: Sequence[Hypothesis | str]) -> np.ndarray:
        """Rows ``[h, x, y, is_contrast]`` (see :mod:`~wordlens.judges.pair_features`)."""
        texts = [h.text if isinstance(h, Hypothesis) else str(h) for h in hypotheses]
        parts = [split_contrast(t) for t in texts]
        enc = self._enc()
        h = enc.encode([self.phrase(t) for t in texts])
        x = np.zeros_like(h)
        y = np.zeros_like(h)
        flag = np.zeros((len(texts), 1), dtype=h.dtype)
        idx = [i for i, (_, b) in enumerate(parts) if b is not None]
        if idx:
            x[idx] = enc.encode([self.phrase(parts[i][0]) for i in idx])
            y[idx] = enc.encode([self.phrase(parts[i][1]) for i in idx])
            flag[idx] = 1.0
        return np.concatenate([h, x, y, flag], axis=1)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Rows ``[t, reference stats]`` (see :func:`text_stats`)."""
        t = self.texts_encoder().encode(list(texts))
        return np.concatenate([t, text_stats(t, self.reference_vectors())], axis=1)

    def for_timing(self, warm_hypotheses: Sequence[Hypothesis] | None = None) -> StudentJudge:
        """A copy with the same weights and loaded model and its own caches, for timing.

        Cold (default): nothing cached. Warm: ``warm_hypotheses`` encoded beforehand and
        text-side caches as this student's (a student in use knows its hypotheses, not the
        next texts: text encodings are never reused)."""
        other = copy.copy(self)
        other.encoder = self._enc().without_memory()
        if isinstance(self.text_encoder, StaticTextEncoder):
            other.text_encoder = self.text_encoder.with_own_cache(
                keep=warm_hypotheses is not None)
        elif isinstance(self.text_encoder, SentenceEncoder):
            other.text_encoder = self.text_encoder.without_memory()
        if warm_hypotheses:
            other.encode_hypotheses(warm_hypotheses)
        return other

    # ---- scoring --------------------------------------------------------------------
    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        """The head's member logits: aligned rows -> [M x P]; else all pairs -> [M x H x N]."""
        return self.head.logits(t, h, aligned=aligned)

    def mean_logits(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] logits of the ensemble (mean over members), before calibration."""
        return self.head.mean_logits(t, h)

    def predict_vectors(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] calibrated probabilities from encoded rows."""
        a, b = self.platt_
        return sigmoid(a * self.mean_logits(t, h) + b)

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        self.head.check_fitted()
        out = np.zeros((len(hypotheses), len(texts)), dtype=float)
        exact = [i for i, h in enumerate(hypotheses)
                 if self.exact_forms and FeatureJudge.supports(h)]
        learned = [i for i in range(len(hypotheses)) if i not in set(exact)]
        if exact:
            out[exact] = FeatureJudge().judge_matrix([hypotheses[i] for i in exact], texts)
        if learned:
            t = self.encode_texts(texts)
            h = self.encode_hypotheses([hypotheses[i] for i in learned])
            out[learned] = self.predict_vectors(t, h)
        return out

    def describe(self) -> dict[str, Any]:
        name, cls = _NAMES.get(self.kind, (self.name, type(self).__name__))
        d: dict[str, Any] = {"name": name, "class": cls,
                             "encoder": self._enc().name if self.encoder is not None
                             else "all-MiniLM-L6-v2", "exact_forms": self.exact_forms,
                             "approximation": True}
        if getattr(self, "path_", None):
            d["path"] = str(self.path_)
        if getattr(self, "teacher_", None):
            d["teacher"] = self.teacher_
        if self.text_encoder is not None:
            d["text_encoder"] = self.text_encoder.name
        return d | self.head.describe()

    def caveat(self) -> str | None:
        teacher = (getattr(self, "teacher_", None) or {}).get("name", "its teacher")
        return ("Hypotheses with a programmatic form are judged exactly; free-text hypotheses "
                f"by a student distilled from {teacher}, an approximation of that teacher "
                "(agreement in the student's report.json). " + CONFIRM_ADVICE)

    # ---- persistence ----------------------------------------------------------------
    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Write ``student.json`` (settings, calibration), ``heads.npz`` (weights) and, for a
        static text encoder, ``static.npz``, as one unit: into a temporary folder beside
        ``folder``, renamed into place. A student already in ``folder`` is replaced file by
        file, ``student.json`` last."""
        folder = Path(folder)
        tmp = self._write_unit(folder, extra)
        try:
            if not _rename_into(tmp, folder):
                _move_files(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return folder

    def save_new(self, folder: str | Path, extra: dict[str, Any] | None = None) -> bool:
        """Save to ``folder`` unless a student is there already (another run, e.g. one
        sharing the cache, may have saved one meanwhile: that one is kept). True when this
        student was written."""
        folder = Path(folder)
        if (folder / "student.json").exists():
            return False
        tmp = self._write_unit(folder, extra)
        try:
            if _rename_into(tmp, folder):
                return True
            if (folder / "student.json").exists():  # another writer won the race
                return False
            _move_files(tmp, folder)  # a folder with other files but no student
            return True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _write_unit(self, folder: Path, extra: dict[str, Any] | None) -> Path:
        """Every file of the student in a new temporary folder beside ``folder``."""
        self.head.check_fitted()
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.parent / f".{folder.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"
        tmp.mkdir()  # normal permissions (the umask), unlike a mkdtemp folder
        try:
            self._write_files(tmp, extra)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp

    def _write_files(self, folder: Path, extra: dict[str, Any] | None) -> None:
        head = self.head
        arrays = {f"m{m}_{k}": v for m, w in enumerate(head.members_) for k, v in w.items()}
        np.savez(folder / "heads.npz", references=self.reference_vectors(), **arrays)
        if isinstance(self.text_encoder, StaticTextEncoder):
            self.text_encoder.save(folder / "static.npz")
        enc = self._enc()
        meta = {"format": FORMAT, "kind": self.kind, "n_members": len(head.members_),
                "hidden": head.hidden,
                "template": self.template, "exact_forms": self.exact_forms,
                "platt": list(self.platt_), "dim": head.dim_,
                "n_train_pairs": self.n_train_pairs_,
                "encoder": {"name": enc.name, "max_seq_length": enc.max_seq_length,
                            "model_path": str(enc.model_path) if enc.model_path else None},
                "teacher": getattr(self, "teacher_", None), **(extra or {})}
        (folder / "student.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path, encoder: SentenceEncoder | None = None) -> StudentJudge:
        """A saved student of either kind (``student.json`` field ``kind``; folders from
        before the field existed are ``standard``)."""
        folder = Path(folder)
        meta = read_model_meta(folder, "student.json", "heads.npz", fmt=FORMAT, what="student",
                               made_by="make one with `wordlens distill`")
        if encoder is None:
            e = meta.get("encoder") or {}
            encoder = (SentenceEncoder(e["model_path"], max_seq_length=e["max_seq_length"])
                       if e.get("model_path") else default_encoder())
        kind = meta.get("kind", "standard")
        if kind not in HEADS:
            raise InputError(f"{folder / 'student.json'}: field 'kind' is {kind!r}, "
                             f"expected one of {', '.join(map(repr, HEADS))}")
        head_cls = HEADS[kind]
        head = head_cls(hidden=meta["hidden"], n_members=meta["n_members"])
        with np.load(folder / "heads.npz") as z:
            members = [{k: z[f"m{m}_{k}"] for k in head_cls.member_keys}
                       for m in range(meta["n_members"])]
            references = z["references"]
        head.restore(members, meta["dim"])
        text_encoder = (StaticTextEncoder.load(folder / "static.npz", encoder)
                        if kind == "fast" else None)
        student = cls(encoder, head=head, text_encoder=text_encoder,
                      template=meta["template"], exact_forms=meta["exact_forms"])
        student.references_ = references
        student.platt_ = tuple(meta["platt"])
        student.n_train_pairs_ = meta["n_train_pairs"]
        student.teacher_ = meta.get("teacher")
        student.path_ = folder
        return student


def FastStudentJudge(encoder: SentenceEncoder | None = None, *,  # noqa: N802 - a class once
                     hidden: int = 8, rank: int = 16, n_members: int = 3, epochs: int = 400,
                     lr: float = 1e-2, prior_weight: float = 1e-3,
                     static_encoder: StaticTextEncoder | None = None,
                     template: str = "This text {h}.", exact_forms: bool = True,
                     seed: int = 0) -> StudentJudge:
    """An unfitted fast student: a :class:`StaticTextEncoder` for texts (distilled from
    ``encoder`` on the distillation texts; pass an unfitted one for other settings) and a
    :class:`TwoTowerHead`. It pays in agreement: see the distillation report, and prefer the
    standard student when accuracy matters more."""
    if static_encoder is None:
        static_encoder = StaticTextEncoder(encoder, seed=seed)
    elif static_encoder.encoder is None:
        static_encoder = copy.copy(static_encoder)
        static_encoder.encoder = encoder
    head = TwoTowerHead(hidden=hidden, rank=rank, n_members=n_members, epochs=epochs, lr=lr,
                        prior_weight=prior_weight, seed=seed)
    return StudentJudge(encoder, head=head, text_encoder=static_encoder, template=template,
                        exact_forms=exact_forms, seed=seed)


#: files of a saved student, in the order they replace an older student's (meta last)
_FILES = ("heads.npz", "static.npz", "student.json")


def _rename_into(tmp: Path, folder: Path) -> bool:
    """Rename the folder ``tmp`` to ``folder`` (which may be missing or empty); False when
    ``folder`` holds files."""
    try:
        os.rename(tmp, folder)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) and folder.is_dir():
            return False
        raise
    return True


def _move_files(tmp: Path, folder: Path) -> None:
    """Each file of ``tmp`` into ``folder`` by an atomic rename, ``student.json`` last; a
    ``static.npz`` of an older (fast) student that this one lacks is removed afterwards."""
    stale = not (tmp / "static.npz").exists()
    for name in _FILES:
        if (tmp / name).exists():
            os.replace(tmp / name, folder / name)
    if stale:
        (folder / "static.npz").unlink(missing_ok=True)
