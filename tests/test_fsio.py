"""Saves are atomic, write through symbolic links and never replace FIFOs, devices or inputs."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from palermo.errors import InputError
from palermo.fsio import atomic_write, refuse_overwriting_inputs, write_target


def test_write_replaces_content_and_keeps_permissions(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_symlink_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "real" / "meridia.yaml"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "meridia.yaml"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["meridia.yaml"]


def test_dangling_symlink_is_refused(tmp_path):
    link = tmp_path / "out.docx"
    link.symlink_to(tmp_path / "elsewhere" / "x.docx")
    with pytest.raises(InputError) as info:
        atomic_write(link, "x")
    assert str(info.value) == f"{link}: is a symbolic link to a missing file; give the file itself"


def test_fifo_is_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        atomic_write(fifo, "x")
    assert str(info.value) == (f"{fifo}: is a named pipe (FIFO), not a regular file; palermo "
                               "writes only to a regular file or a new path")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_device_is_not_replaced():
    with pytest.raises(InputError) as info:
        write_target("/dev/null")
    assert str(info.value) == ("/dev/null: is a character device, not a regular file; palermo "
                               "writes only to a regular file or a new path")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_directory_and_missing_folder(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a regular file"):
        atomic_write(tmp_path, "x")
    with pytest.raises(InputError) as info:
        atomic_write(tmp_path / "nope" / "x.docx", "x")
    assert str(info.value) == f"{tmp_path / 'nope'}: folder does not exist"


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "No space left on device"),
                                          (errno.EACCES, "Permission denied")])
def test_failed_write_leaves_the_original(tmp_path, monkeypatch, code, reason):
    path = tmp_path / "a.yaml"
    path.write_text("old")

    def fail(fd, *args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(InputError) as info:
        atomic_write(path, "new")
    assert str(info.value) == f"{path}: cannot write: {reason} (the file is unchanged)"
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "a.yaml"
    path.write_text("old")
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError) as info:
            atomic_write(path, "new")
    finally:
        folder.chmod(0o700)
    assert str(info.value) == f"{path}: cannot write: Permission denied (the file is unchanged)"
    assert path.read_text() == "old"


def test_output_may_not_be_an_input(tmp_path):
    source = tmp_path / "meridia.yaml"
    source.write_text("x")
    link = tmp_path / "out.docx"
    link.symlink_to(source)
    with pytest.raises(InputError) as info:
        refuse_overwriting_inputs(link, [("the reference document", tmp_path / "ref.docx"),
                                         ("the answers file", source)])
    assert str(info.value) == (f"{link}: the output would overwrite the answers file {source}; "
                               "choose another output file")
    refuse_overwriting_inputs(tmp_path / "new.docx", [("the answers file", source)])
