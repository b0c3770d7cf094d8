"""Output files: checked before work, written atomically with normal permissions, symlinks
followed, devices/FIFOs/folders/inputs never replaced."""

from __future__ import annotations

import os
import stat

import pytest

from wordlens.errors import InputError
from wordlens.outfile import check_output_dir, check_output_file, write_atomic


def test_new_file_gets_0666_minus_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "sub" / "x.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "sub" / "x.json").stat().st_mode) == 0o640


def test_replacing_keeps_mode_and_follows_symlinks(tmp_path):
    target = tmp_path / "t.json"
    target.write_text("old")
    target.chmod(0o604)
    (tmp_path / "link.json").symlink_to(target)
    write_atomic(tmp_path / "link.json", b"new")
    assert (tmp_path / "link.json").is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert sorted(os.listdir(tmp_path)) == ["link.json", "t.json"]


def test_special_files_and_folders_are_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    for path, msg in ((tmp_path / "fifo", "not a regular file"),
                      ("/dev/null", "not a regular file"), (tmp_path, "is a folder")):
        with pytest.raises(InputError, match=msg):
            check_output_file(path)
        with pytest.raises(InputError):
            write_atomic(path, "x")
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)


def test_an_input_is_never_an_output(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("{}\n")
    (tmp_path / "alias.jsonl").symlink_to(src)
    for out in (src, tmp_path / "alias.jsonl", tmp_path / "." / "a.jsonl"):
        with pytest.raises(InputError, match="is also an input"):
            check_output_file(out, inputs=[src])
    assert check_output_file(tmp_path / "new" / "r.json", inputs=[src]).name == "r.json"


def test_output_folder_checks(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        check_output_dir(tmp_path / "file")
    with pytest.raises(InputError, match="not a folder"):
        check_output_dir(tmp_path / "file" / "sub")
    assert check_output_dir(tmp_path / "new" / "student") == tmp_path / "new" / "student"


def test_failed_write_leaves_no_temporary(tmp_path, monkeypatch):
    def boom(*a):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.json", "data")
    assert os.listdir(tmp_path) == []
