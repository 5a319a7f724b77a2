"""Writing outputs so that a failure never leaves a half-written file or folder behind."""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from allocsim.errors import AllocsimError, OutputError


def read_user_text(path: Path, kind: str, error: type[AllocsimError], shown: str | None = None) -> str:
    """The UTF-8 text of a file the user named; every failure is one ``error`` naming the file.

    ``kind`` says what the file is ("data", "rule", "parameter"); ``shown`` is how messages
    name it (default: the path as given).
    """
    shown = shown or str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise error(f"{kind} file not found: {shown}") from None
    except IsADirectoryError:
        raise error(f"{kind} file {shown} is a folder, not a file") from None
    except OSError as problem:
        raise error(f"cannot read {kind} file {shown}: {problem.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(f"{shown} is not UTF-8 text (byte 0x{data[problem.start]:02x} at offset "
                    f"{problem.start}); save the {kind} file as UTF-8") from None


def parse_toml(text: str, shown: str, error: type[AllocsimError]) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{shown}: TOML syntax error: {problem}") from None


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    _ensure_parent(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_dir(out: Path, *, replace: bool = False, remove: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder; on success its files are moved into ``out``.

    With ``replace`` the whole of ``out`` is swapped for the new folder (report folders);
    otherwise the new files are moved into ``out`` one by one, leaving other files there alone
    except those named in ``remove`` (stale outputs of an earlier run), which are deleted.
    On any error the temporary folder is deleted and ``out`` is untouched.
    """
    shown, out = out, Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {shown} exists and is not a folder")
    _ensure_parent(out)
    try:
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    except OSError as error:
        raise OutputError(f"cannot write in {out.parent}: {error.strerror}") from None
    os.chmod(staging, 0o777 & ~_umask())
    try:
        yield staging
        if replace:
            _swap_in(staging, out)
        else:
            _move_files(staging, out)
            for name in remove:
                (out / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old.{os.getpid()}")
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _move_files(staging: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    for item in sorted(staging.rglob("*")):
        target = out / item.relative_to(staging)
        if item.is_dir():
            target.mkdir(exist_ok=True)
        else:
            os.replace(item, target)


def _umask() -> int:
    """The process umask (temporary files are created private; finished ones get normal modes)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _ensure_parent(path: Path) -> None:
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create folder {parent}: {error.strerror}") from None
