"""The code release a cached page was built by: part of every key, so a deploy starts afresh."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings

FINGERPRINTED_SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo"}


def _project_folders() -> list[Path]:
    """The site's templates and translations, the settings, and every app of this project."""
    base = Path(settings.BASE_DIR)
    folders = {base / "site", base / "config"}
    for app in apps.get_app_configs():
        path = Path(app.path)
        if path.is_relative_to(base) and ".venv" not in path.parts:
            folders.add(path)
    return sorted(folder for folder in folders if folder.exists())


@cache
def release() -> str:
    """``PAGECACHE_RELEASE`` when set (a deploy sets it to its version), else a fingerprint of
    the project's templates and code, which changes whenever one of them does."""
    configured = getattr(settings, "PAGECACHE_RELEASE", "")
    if configured:
        return str(configured)
    digest = hashlib.sha256()
    for folder in _project_folders():
        for path in sorted(folder.rglob("*")):
            if path.suffix in FINGERPRINTED_SUFFIXES and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
