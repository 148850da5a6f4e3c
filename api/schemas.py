"""Request and response bodies of the HTTP API (answers reuse retriever.schemas.Answer)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from peerassist.text import single_line

from peerassist.retriever.schemas import Source


class AskRequest(BaseModel):
    question: str = Field(min_length=1)
    conversation_id: str | None = Field(default=None, max_length=64)
    client_id: str | None = Field(default=None, max_length=64, description="anonymous id of the asking browser session")
    retriever: str = "hybrid"
    tags: list[str] = Field(default_factory=list)
    audience: list[str] = Field(default_factory=list)
    source: str | None = None


class FeedbackRequest(BaseModel):
    query_id: str = Field(min_length=1, max_length=32)
    helpful: bool
    comment: Annotated[str | None, AfterValidator(lambda text: single_line(text) if text else text)] = Field(
        default=None, max_length=2000, description="control characters are replaced by spaces"
    )
    client_id: str | None = Field(default=None, max_length=64)


class FeedbackPublic(BaseModel):
    query_id: str
    helpful: bool
    comment: str | None


class DocumentPublic(Source):
    filetype: str
    chunk_count: int
    size_bytes: int
    tags: list[str] = Field(default_factory=list)
    audience: list[str] = Field(default_factory=list)
    author: str | None = None
    visibility: str = "member"


class Passage(BaseModel):
    chunk_id: str
    section: str
    page: int | None = None
    text: str


class DocumentDetail(DocumentPublic):
    passages: list[Passage]


class UploadResult(BaseModel):
    added: int
    updated: int
    unchanged: int
    failed: list[dict[str, str]]
    warnings: list[dict[str, str]] = Field(default_factory=list, description="ingested, but see why (an unknown audience)")
    chunks_written: int
