"""Vega, Vega-Lite and vega-embed as one script to inline in the page, made once per version.

vl-convert builds the bundle (about 0.9 MB) from the libraries it ships, which takes a second or
more each time. The result depends only on the vl-convert and Vega-Lite versions, so it is kept
in the user's cache folder (``$ALLOCSIM_CACHE``, else ``$XDG_CACHE_HOME/allocsim``, else
``~/.cache/allocsim``) under a name holding both versions, and rebuilt wherever that cannot be read
or written. A file is written whole (to a temporary name, then renamed) and carries the SHA-256 of
its text in its name's companion, so a damaged copy is never used.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import vl_convert as vlc


def cache_folder() -> Path:
    """Where bundles are kept."""
    if os.environ.get("ALLOCSIM_CACHE"):
        return Path(os.environ["ALLOCSIM_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "allocsim"


def bundle_path(vl_version: str) -> Path:
    """The cached bundle for ``vl_version`` and the installed vl-convert."""
    return cache_folder() / f"vega-bundle-vl{vl_version}-vl-convert{metadata.version('vl-convert-python')}.js"


@lru_cache(maxsize=4)
def javascript_bundle(vl_version: str) -> str:
    """vl-convert's ``javascript_bundle(vl_version=...)``, from the cache when a sound copy is there."""
    path = bundle_path(vl_version)
    cached = _read(path)
    if cached is not None:
        return cached
    text = vlc.javascript_bundle(vl_version=vl_version)
    _write(path, text)
    return text


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
        expected = path.with_suffix(".sha256").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _digest(text) == expected else None


def _write(path: Path, text: str) -> None:
    """Write ``text`` and its digest, each whole; give up quietly where the folder is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, content in ((path, text), (path.with_suffix(".sha256"), _digest(text) + "\n")):
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                             prefix=f".{target.name}.") as handle:
                handle.write(content)
            os.replace(handle.name, target)
    except OSError:
        return
