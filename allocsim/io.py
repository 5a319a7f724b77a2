"""Writing outputs so that a failure never leaves a half-written file or folder behind."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from allocsim.errors import AllocsimError, OutputError


def read_user_text(path: Path, kind: str, error: type[AllocsimError], shown: str | None = None) -> str:
    """The UTF-8 text of a file the user named; every failure is one ``error`` naming the file.

    ``kind`` says what the file is ("data", "rule", "parameter"); ``shown`` is how messages
    name it (default: the path as given). Only a regular file is read: a FIFO would wait for a
    writer forever and a device such as ``/dev/zero`` never ends, so both are refused unread.
    """
    shown = shown or str(path)
    try:
        data = _read_regular_file(Path(path))
    except FileNotFoundError:
        raise error(f"{kind} file not found: {shown}") from None
    except IsADirectoryError:
        raise error(f"{kind} file {shown} is a folder, not a file") from None
    except _NotRegular as problem:
        raise error(f"{kind} file {shown} is {problem}, not a regular file") from None
    except OSError as problem:
        raise error(f"cannot read {kind} file {shown}: {problem.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(f"{shown} is not UTF-8 text (byte 0x{data[problem.start]:02x} at offset "
                    f"{problem.start}); save the {kind} file as UTF-8") from None


class _NotRegular(Exception):
    """A path that names something other than a regular file (its kind in words)."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"))


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, opened without blocking and checked to be a regular file first."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise _NotRegular(next((words for test, words in _KINDS if test(mode)), "not a file"))
        os.set_blocking(handle, True)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(handle)


def parse_toml(text: str, shown: str, error: type[AllocsimError]) -> dict:
    """The table parsed from TOML ``text``; a syntax error, or arrays and tables nested more than
    :data:`MAX_NESTING` levels deep, raises ``error`` naming the file as ``shown``."""
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{shown}: TOML syntax error: {problem}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        parsed = None
    if parsed is None or too_deep(parsed):
        raise error(f"{shown}: arrays or tables nested more than {MAX_NESTING} levels deep")
    return parsed


MAX_NESTING = 32  # rule and parameter files nest four levels; deeper is a mistake, and would
# exhaust Python's recursion in copying and validating long before any check could name it


def too_deep(value: object) -> bool:
    """Whether arrays and tables nest more than :data:`MAX_NESTING` levels in ``value`` (walked
    without recursion, so any depth is measured)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, as :func:`atomic_write_bytes` does."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    Any failure (a full disk, no permission) is one :class:`OutputError` naming ``path``, and
    leaves neither the temporary file nor any folder created for it.
    """
    with staged_file(path, data) as finish:
        finish()


@contextmanager
def staged_file(path: Path, data: bytes, option: str = "") -> Iterator[Callable[[], None]]:
    """Write ``data`` to a hidden temporary file beside ``path`` now, and yield the step that renames it
    into place, for a caller with more to write before the file may appear (``--xlsx`` beside ``--out``).

    On any failure inside the block, the rename included, the temporary file and the folders made for
    it are removed, and an ``OSError`` becomes one :class:`OutputError` naming ``path``; a folder that
    cannot be made for it is named as the ``option``'s, where one is given.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    try:
        created = make_parents(path)
    except OutputError as error:
        raise OutputError(f"{option} {path}: {error}" if option else str(error)) from None
    tmp = None
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        yield lambda: os.replace(tmp, path)
    except BaseException as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        remove_created(created)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {_reason(error)}") from None
        raise


@contextmanager
def staged_dir(out: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; on success it is swapped in as ``out``, whole.

    The earlier ``out``, if any, is renamed away, the new folder renamed in, and the earlier one
    deleted: a run killed between the two renames leaves ``out`` absent, never a mix of two
    runs. On any error the staging folder and every folder created for it are deleted, ``out``
    is untouched, and an ``OSError`` becomes one :class:`OutputError` naming ``out``. Leftovers
    of runs that were killed are deleted after a successful swap.
    """
    shown, out = out, Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {shown} exists and is not a folder")
    created = make_parents(out)
    try:
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.{os.getpid()}.", suffix=".new"))
        try:
            os.chmod(staging, 0o777 & ~_umask())
            yield staging
            _swap_in(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException as error:
        remove_created(created)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {shown}: {_reason(error)}") from None
        raise
    _remove_leftovers(out)


def _swap_in(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.old")
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)  # the earlier output back where it was
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Delete the staging and earlier folders that runs killed while writing ``out`` left beside it.

    Only folders named as :func:`staged_dir` names them, and only when the process that made
    them has ended (a run writing the same folder now keeps its own).
    """
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(\d+)\.\w+\.(new|old)")
    for sibling in out.parent.iterdir():
        match = pattern.fullmatch(sibling.name)
        if match and sibling.is_dir() and not sibling.is_symlink() and not _running(int(match.group(1))):
            shutil.rmtree(sibling, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a number the system refuses: leave it alone
        return True
    return True


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _umask() -> int:
    """The process umask (temporary files are created private; finished ones get normal modes)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_parents(path: Path) -> list[Path]:
    """Create the missing folders above ``path``; return them, outermost first, for
    :func:`remove_created` to delete if the write fails."""
    missing = [p for p in reversed(Path(path).parents) if not p.is_dir()]
    for folder in missing:
        if folder.exists() or folder.is_symlink():
            raise OutputError(f"cannot write {path}: {folder} is not a folder")
    created: list[Path] = []
    try:
        for folder in missing:
            folder.mkdir()
            created.append(folder)
    except OSError as error:
        remove_created(created)
        raise OutputError(f"cannot create folder {folder}: {_reason(error)}") from None
    return created


def remove_created(created: list[Path]) -> None:
    """Delete the folders :func:`make_parents` created, innermost first, while they are empty."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            return
