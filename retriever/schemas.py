"""The answer as every caller sees it: CLI `--json`, the API, the widget and the evals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Source(BaseModel):
    """Where a passage lives: enough to show it and link to it."""

    doc_id: str
    title: str
    section: str
    page: int | None = None
    source: str


class Citation(Source):
    n: int
    chunk_id: str
    quote: str = Field(description="The sentence(s) of the passage the answer states")


class RetrievedPassage(Source):
    rank: int
    chunk_id: str
    score: float
    quote: str = Field(description="The passage text")


class AnswerLine(BaseModel):
    text: str = Field(description="A quoted sentence or list item (or '…' where a list was cut short)")
    n: int = Field(description="The citation it comes from")


class AnswerPart(BaseModel):
    """The answer's structure, for rendering: paragraphs and lists, in order."""

    type: Literal["paragraph", "list"]
    ordered: bool = False
    also: bool = Field(default=False, description="From a second document, adding what the first does not say")
    lines: list[AnswerLine]


class DroppedSentence(BaseModel):
    """A sentence the LLM wrote that the post-check removed, and why."""

    sentence: str
    reason: str


class Answer(BaseModel):
    answer: str = Field(description="Plain text; each sentence or list item ends with its [n] marker; lists one item per line")
    answered: bool
    confidence: float
    citations: list[Citation]
    parts: list[AnswerPart] = Field(default_factory=list, description="The same answer as paragraphs and lists")
    retrieved: list[RetrievedPassage]
    related: list[Source] = Field(default_factory=list, description="Nearest documents when not answered")
    query_id: str | None = None
    conversation_id: str | None = None
    standalone_question: str
    retriever: str
    answerer: str = Field(description="'extractive' (offline) or 'llm'")
    dropped: list[DroppedSentence] = Field(default_factory=list)
