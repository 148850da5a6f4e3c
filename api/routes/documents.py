"""The community's documents: list, read (with passages a citation can point at), upload, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from filelock import FileLock

from peerassist.api.deps import FacilitatorDep, LimitedMemberDep, ServiceDep, SettingsDep
from peerassist.api.schemas import DocumentDetail, DocumentPublic, Passage, UploadResult
from peerassist.ingest.uploads import UploadNameError, check_distinct, ingest_uploads, safe_name, staging_path
from peerassist.insights.gaps import recheck
from peerassist.db import DocumentRecord
from peerassist.store import shown_path
from peerassist.retriever.filters import SearchFilter

router = APIRouter(prefix="/api/documents", tags=["documents"])
READ_BLOCK = 1 << 20


def _public(record: DocumentRecord) -> DocumentPublic:
    meta = record.meta or {}
    return DocumentPublic(
        doc_id=record.doc_id, title=record.title, section="", source=shown_path(record), filetype=record.filetype,
        chunk_count=record.chunk_count, size_bytes=record.size_bytes, tags=list(meta.get("tags") or []),
        audience=list(meta.get("audience") or []), author=meta.get("author"), visibility=meta.get("visibility", "member"),
    )


@router.get("", response_model=list[DocumentPublic])
def list_documents(
    caller: LimitedMemberDep,
    service: ServiceDep,
    tag: Annotated[list[str] | None, Query()] = None,
    audience: Annotated[list[str] | None, Query()] = None,
    source: str | None = None,
) -> list[DocumentPublic]:
    """The documents this caller may see, optionally filtered by tag, audience or path."""
    documents = service.view.current().documents
    allowed = SearchFilter(role=caller.role, tags=tuple(tag or ()), audience=tuple(audience or ()), source=source)
    return sorted((_public(r) for r in documents.values() if allowed.admits(r)), key=lambda d: d.title.lower())


@router.get("/{doc_id}", response_model=DocumentDetail)
def get_document(doc_id: str, caller: LimitedMemberDep, service: ServiceDep) -> DocumentDetail:
    """Metadata and passages in order; each passage's chunk_id is the anchor a citation links to."""
    snapshot = service.view.current()
    record = snapshot.documents.get(doc_id)
    if record is None or not SearchFilter(role=caller.role).admits(record):
        raise HTTPException(404, f"no document {doc_id!r}")  # the same answer whether hidden or absent
    stored = snapshot.generation.collection.get(
        where={"$and": [{"doc_id": doc_id}, {"doc_hash": record.doc_hash}]}, include=["documents", "metadatas"]
    )
    rows = sorted(
        zip(stored["ids"], stored["documents"] or [], stored["metadatas"] or [], strict=True),
        key=lambda row: int(row[2].get("chunk_index", 0)),
    )
    passages = [
        Passage(chunk_id=cid, section=str(m.get("section", "")), page=m.get("page"), text=text or "")
        for cid, text, m in rows
    ]
    return DocumentDetail(**_public(record).model_dump(), passages=passages)


@router.post("", response_model=UploadResult, status_code=201)
async def upload_documents(
    files: Annotated[list[UploadFile], File(description="one or more documents")],
    caller: FacilitatorDep,
    service: ServiceDep,
    settings: SettingsDep,
) -> UploadResult | JSONResponse:
    """Ingest uploads through the same pipeline as the CLI; per-file errors come back by name (422)."""
    uploads = settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    try:
        names = [safe_name(upload.filename) for upload in files]
        check_distinct(names)
    except UploadNameError as exc:
        raise HTTPException(422, str(exc)) from None
    staged = [staging_path(uploads, name) for name in names]
    try:
        for upload, item in zip(files, staged, strict=True):
            await _save_capped(upload, item.staging, settings.max_file_bytes)
        report = await run_in_threadpool(ingest_uploads, service.index, uploads, staged)
    finally:
        for item in staged:
            item.staging.unlink(missing_ok=True)
    if report.added or report.updated:
        await run_in_threadpool(_after_upload, service)
    result = UploadResult(
        added=report.added, updated=report.updated, unchanged=report.unchanged,
        failed=[{"path": Path(f.path).name, "error": f.error} for f in report.failed],
        warnings=[{"path": Path(w.path).name, "error": w.error} for w in report.warnings],
        chunks_written=report.chunks_written,
    )
    if result.failed:
        return JSONResponse(status_code=422, content={"detail": "some files could not be ingested", **result.model_dump()})
    return result


async def _save_capped(upload: UploadFile, target: Path, limit: int) -> None:
    size = 0
    with target.open("wb") as out:
        while block := await upload.read(READ_BLOCK):
            size += len(block)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise HTTPException(413, f"{upload.filename}: larger than the {limit // (1024 * 1024)} MB limit")
            out.write(block)


def _after_upload(service) -> None:  # type: ignore[no-untyped-def]
    service.view.warm()  # the new version's index is built in the uploader's request, not a member's
    recheck(service)  # new documents may close earlier knowledge gaps


@router.delete("/{doc_id}", status_code=204)
def delete_document(doc_id: str, caller: FacilitatorDep, service: ServiceDep, settings: SettingsDep) -> None:
    """Remove a document from the index (and its uploaded file, so a later sync does not bring it back)."""
    with FileLock(str(settings.data_dir / "ingest.lock")):
        generation = service.index.generation()
        record = generation.documents().get(doc_id)
        if record is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        generation.delete_documents([doc_id])
        source = Path(record.source)
        if source.parent.resolve() == (settings.data_dir / "uploads").resolve():
            source.unlink(missing_ok=True)
