"""gitm's data folder (run records, plan memory, sweeps): where it is, what chose it, and one-line errors that say
both, so a bad `--data-dir` (a file, a read-only place) is never a bare OSError traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

DATA_DIR_ENV = "GITM_DATA_DIR"


class DataDirError(Exception):
    """A file or folder gitm cannot use: one line naming it and the flag or variable that chose it."""

    exit_code = 2


def default_data_dir() -> Path:
    """$GITM_DATA_DIR, else $XDG_DATA_HOME/gitm, else ~/.local/share/gitm."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "gitm"


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_data_dir()


def chosen_by(data_dir: str | Path | None = None) -> str:
    """What chose the data folder, for error messages: '--data-dir PATH', '$GITM_DATA_DIR=PATH', ..."""
    if data_dir:
        return f"--data-dir {data_dir}"
    for var in (DATA_DIR_ENV, "XDG_DATA_HOME"):
        if os.environ.get(var):
            return f"${var}={os.environ[var]}"
    return f"the default data folder {default_data_dir()} (set --data-dir or ${DATA_DIR_ENV})"


def file_error(e: OSError, path: str | Path, origin: str) -> DataDirError:
    """`e` as one line: the file it is about (its own, else `path`), why, and what chose the folder."""
    where = Path(e.filename if e.filename is not None else path)
    why = e.strerror or str(e)
    if isinstance(e, NotADirectoryError):  # say which part of the path is a file
        blocker = next((p for p in where.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            why += f": {blocker} is a file"
    return DataDirError(f"cannot use {where} ({why}); it comes from {origin}")


def make_dir(path: str | Path, origin: str) -> Path:
    """`path` and its parents, created if need be and writable, or a DataDirError naming it and `origin`."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise file_error(e, path, origin) from None
    if not os.access(path, os.W_OK):  # a read-only mount or folder: chromadb would fail later with less to say
        code = errno.EROFS if os.statvfs(path).f_flag & os.ST_RDONLY else errno.EACCES
        raise file_error(OSError(code, os.strerror(code)), path, origin)
    return path
