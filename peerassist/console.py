"""Terminal output for long jobs: a rich progress bar over files and chunks."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)


class RichIngestProgress:
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._files = self._progress.add_task("files", total=None)
        self._chunks = self._progress.add_task("chunks written", total=None)

    def __enter__(self) -> RichIngestProgress:
        self._progress.start()
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._progress.stop()

    def start(self, total_files: int) -> None:
        self._progress.update(self._files, total=total_files)

    def file_done(self, path: Path) -> None:
        self._progress.update(self._files, advance=1, description=f"files ({path.name[:30]})")

    def chunks_done(self, count: int) -> None:
        self._progress.update(self._chunks, advance=count)
