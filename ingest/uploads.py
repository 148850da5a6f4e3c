"""Files uploaded through the API: named safely, swapped in under a lock, rolled back when ingestion fails.

Each upload is staged under a name of its own, so concurrent uploads of one file name never
write into each other's staging file; the swap into `uploads/` and the ingest that follows
run under one lock, so the version reported "updated" is the version the index holds. If
ingestion fails (a corrupt file) the previous file is put back; if it raises (the store is
down) every file of the batch is put back, and nothing of the batch stays behind.
"""

from __future__ import annotations

import shutil
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from peerassist.ingest.pipeline import Ingestor, IngestReport
from peerassist.store import KnowledgeIndex

MAX_FILES_PER_UPLOAD = 10
# Room for the staging prefix within the usual 255-byte file-name limit.
MAX_NAME_BYTES = 200


class UploadNameError(ValueError):
    """A file name that cannot be stored as given (the API answers 422)."""


def safe_name(raw: str | None) -> str:
    """The upload's base name, or UploadNameError saying what is wrong with it."""
    name = Path((raw or "").replace("\\", "/")).name
    if not name or name.startswith("."):
        raise UploadNameError(f"bad file name {raw!r}: it must not be empty or start with '.'")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadNameError(f"bad file name {raw!r}: it contains control characters")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadNameError(f"file name is {len(name.encode('utf-8'))} bytes long; the limit is {MAX_NAME_BYTES}")
    return name


def check_distinct(names: list[str]) -> None:
    """At most MAX_FILES_PER_UPLOAD files, and no name twice: they would overwrite each other."""
    if len(names) > MAX_FILES_PER_UPLOAD:
        raise UploadNameError(f"{len(names)} files in one upload; send at most {MAX_FILES_PER_UPLOAD} at a time")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UploadNameError(f"{name!r} is given twice in one upload; send one file per name")
        seen.add(name)


@dataclass(frozen=True)
class StagedUpload:
    staging: Path  # where the request wrote the bytes
    final: Path  # where the file lives once ingested


def staging_path(uploads: Path, name: str) -> StagedUpload:
    return StagedUpload(uploads / f".incoming-{uuid.uuid4().hex}", uploads / name)


def ingest_uploads(index: KnowledgeIndex, uploads: Path, staged: list[StagedUpload]) -> IngestReport:
    """Swap the staged files in and ingest them; files that fail (or a batch that raises) are rolled back."""
    backups: dict[Path, Path | None] = {}
    with FileLock(str(uploads / ".uploads.lock")):
        try:
            for item in staged:
                backups[item.final] = None
                if item.final.exists():
                    backups[item.final] = uploads / f".previous-{uuid.uuid4().hex}"
                    shutil.copy2(item.final, backups[item.final])
                shutil.move(item.staging, item.final)
            report = Ingestor(index).run([item.final for item in staged])
        except BaseException:
            _restore(backups, set(backups))
            raise
        _restore(backups, {Path(f.path) for f in report.failed})
    return report


def _restore(backups: dict[Path, Path | None], failed: set[Path]) -> None:
    """Put back the previous file of each failed upload (or remove a new one); drop every backup."""
    for final, backup in backups.items():
        if final in failed:
            final.unlink(missing_ok=True)
            if backup:
                shutil.move(backup, final)
        elif backup:
            backup.unlink(missing_ok=True)
