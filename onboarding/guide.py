"""Assembling a newcomer's guide for one role: reading path, glossary, verified starter questions."""

from __future__ import annotations

import re
import string
import threading
from collections import Counter

from pydantic import BaseModel
from sqlalchemy import select

from peerassist.roles import ROLE_RANK
from peerassist.onboarding.glossary import GlossaryEntry, extract, term_key
from peerassist import query_log
from peerassist.db import (
    DocumentRecord,
    GlossaryOverride,
    OnboardingPin,
    utcnow,
)
from peerassist.retriever.filters import SearchFilter
from peerassist.store import StoredChunk
from peerassist.nlp import POINTERS, noun_phrases
from peerassist.terms import content_terms
from peerassist.sentences import is_quotable, split_sentences
from peerassist.text import quotable_text
from peerassist.retriever.service import AnswerService, AskOptions

# Tags that mark a document as a place to start, in reading order.
START_TAGS = ("onboarding", "charter", "how-to-join", "start-here")
OVERVIEW_TITLE = re.compile(
    r"\b(?:charter|overview|introduction|intro|about|welcome|getting started|start here|read ?me|handbook|who we are)\b",
    re.IGNORECASE,
)
# An answer opening like this leans on something the reader has not seen: no starter question.
REFERS_BACK = re.compile(r"^(?:this|that|these|those|it|they|he|she|such|the latter|the former)\b", re.IGNORECASE)
PATH_LENGTH = 8
STARTERS_MAX = 12
STARTER_CANDIDATES = 40


class PathEntry(BaseModel):
    doc_id: str
    title: str
    summary: str
    link: str
    why: str  # pinned | onboarding | most cited | most helpful | overview | central


class StarterQuestion(BaseModel):
    question: str
    confidence: float
    doc_id: str
    title: str


class Onboarding(BaseModel):
    path: list[PathEntry]
    glossary: list[GlossaryEntry]
    starter_questions: list[StarterQuestion]


def build(service: AnswerService, role: str = "member") -> Onboarding:
    snapshot = service.view.current()
    allowed = SearchFilter(role=role).allowed(snapshot.documents)
    chunks = [c for c in snapshot.lexical.chunks if c.metadata.get("doc_id") in allowed]
    glossary = glossary_items(service, extract(chunks))
    return Onboarding(
        path=reading_path(service, chunks, snapshot.documents, allowed),
        glossary=glossary,
        starter_questions=starters(service, chunks, glossary, role),
    )


def reading_path(
    service: AnswerService, chunks: list[StoredChunk], documents: dict[str, DocumentRecord], allowed: set[str]
) -> list[PathEntry]:
    """Pinned documents first (in their order), then start-here tags, then the most cited and most helpful."""
    with service.index.db.session() as session:
        pins = [p.doc_id for p in session.scalars(select(OnboardingPin).order_by(OnboardingPin.position))]
    cited = query_log.cited_documents(service.index.db)
    helpful = query_log.cited_documents(service.index.db, helpful_only=True)
    ordered: dict[str, str] = {}
    for doc_id in pins:
        ordered.setdefault(doc_id, "pinned")
    tagged = sorted(
        (d for d in allowed if _start_rank(documents[d].meta) is not None),
        key=lambda d: (_start_rank(documents[d].meta), _title_rank(documents[d].title), documents[d].title.casefold()),
    )
    for doc_id in tagged:
        ordered.setdefault(doc_id, "onboarding")
    for doc_id, _ in cited.most_common():
        ordered.setdefault(doc_id, "most cited")
    for doc_id, _ in helpful.most_common():
        ordered.setdefault(doc_id, "most helpful")
    if len([d for d in ordered if d in allowed]) < PATH_LENGTH:  # a corpus without tags, pins or usage yet
        for doc_id in _central(chunks, documents, allowed, service):
            ordered.setdefault(doc_id, "overview" if OVERVIEW_TITLE.search(documents[doc_id].title) else "central")
    first_chunks = _first_chunks(chunks)
    return [
        PathEntry(doc_id=d, title=documents[d].title, summary=_summary(first_chunks.get(d)), link=f"/api/documents/{d}", why=why)
        for d, why in ordered.items()
        if d in allowed
    ][:PATH_LENGTH]


def _central(chunks: list[StoredChunk], documents: dict[str, DocumentRecord], allowed: set[str], service: AnswerService) -> list[str]:
    """Where a newcomer should start when nobody has said: overview-like titles (charter, overview,
    introduction, ...), then the documents most like the rest (mean cosine of each document's
    opening text to the others'), so a reader meets what the corpus is mostly about first."""
    first = _first_chunks([c for c in chunks if c.metadata.get("doc_id") in allowed])
    doc_ids = sorted(first)
    if not doc_ids:
        return []
    model = service.view.current().generation.model
    vectors = model.embed([f"{documents[d].title}\n{first[d].text}" for d in doc_ids])
    similarity = vectors @ vectors.T
    centrality = (similarity.sum(axis=1) - 1.0) / max(1, len(doc_ids) - 1)
    rank = {d: float(c) for d, c in zip(doc_ids, centrality, strict=True)}
    return sorted(doc_ids, key=lambda d: (not OVERVIEW_TITLE.search(documents[d].title), -rank[d], documents[d].title.casefold()))


def glossary_items(service: AnswerService, entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    with service.index.db.session() as session:
        overrides = {o.term_key: o for o in session.scalars(select(GlossaryOverride))}
    items = []
    for entry in entries:
        override = overrides.get(entry.key)
        if override and override.hidden:
            continue
        if override and override.definition:
            entry = entry.model_copy(update={"definition": override.definition, "overridden": True})
        items.append(entry)
    return items


def starters(service: AnswerService, chunks: list[StoredChunk], glossary: list[GlossaryEntry], role: str) -> list[StarterQuestion]:
    """Questions from FAQ headings and glossary terms, kept only if Peer Assist answers them with confidence."""
    candidates: list[str] = []
    for chunk in chunks:
        heading = str(chunk.metadata.get("section", "")).split(" > ")[-1].strip()
        if heading.endswith("?") and len(content_terms(heading)) >= 2 and len(heading.split()) <= 14 and stands_alone(heading):
            candidates.append(heading)
    candidates += [f"What is {_short(item.term)}?" for item in glossary]
    chosen: list[StarterQuestion] = []
    seen_docs: Counter[str] = Counter()
    for question in list(dict.fromkeys(candidates))[:STARTER_CANDIDATES]:
        answer = service.ask(question, AskOptions(filter=SearchFilter(role=role), log=False))
        if not answer.answered or not answer.citations or REFERS_BACK.match(answer.answer):
            continue
        cited = answer.citations[0]
        if seen_docs[cited.doc_id] >= 2:  # spread the starters over the documents
            continue
        seen_docs[cited.doc_id] += 1
        chosen.append(StarterQuestion(question=question, confidence=answer.confidence, doc_id=cited.doc_id, title=cited.title))
        if len(chosen) == STARTERS_MAX:
            break
    return chosen


def stands_alone(question: str) -> bool:
    """A newcomer can ask it cold: it names something ("the CoP", "AI incidents") and points back at
    nothing ("this", "it", "they"). "Who should I contact?" and "What happens next?" need the FAQ around them."""
    words = {word.strip(string.punctuation).casefold() for word in question.split()}
    return bool(noun_phrases(question)) and not words & POINTERS


def save_pins(service: AnswerService, doc_ids: list[str]) -> None:
    with service.index.db.session() as session:
        session.query(OnboardingPin).delete()
        for position, doc_id in enumerate(doc_ids):
            session.add(OnboardingPin(doc_id=doc_id, position=position))


def save_override(service: AnswerService, term: str, definition: str | None, hidden: bool) -> None:
    with service.index.db.session() as session:
        row = session.get(GlossaryOverride, term_key(term)) or GlossaryOverride(term_key=term_key(term), term=term)
        row.definition, row.hidden, row.updated_at = definition, hidden, utcnow()
        session.add(row)


def _start_rank(meta: dict[str, object]) -> int | None:
    tags = meta.get("tags") or []
    ranks = [START_TAGS.index(t) for t in (tags if isinstance(tags, list) else [tags]) if t in START_TAGS]
    return min(ranks) if ranks else None


def _title_rank(title: str) -> int:
    """Among start-here documents, one called "Start here" comes first, then onboarding/welcome ones."""
    if re.search(r"start here", title, re.IGNORECASE):
        return 0
    return 1 if re.search(r"onboarding|welcome|new member", title, re.IGNORECASE) else 2


def _first_chunks(chunks: list[StoredChunk]) -> dict[str, StoredChunk]:
    first: dict[str, StoredChunk] = {}
    for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0))):
        first.setdefault(str(chunk.metadata.get("doc_id")), chunk)
    return first


def _summary(chunk: StoredChunk | None) -> str:
    """The document's own first statement: its opening sentence, not a heading."""
    if chunk is None:
        return ""
    title = str(chunk.metadata.get("title", "")).casefold()
    sentence = next((s for s in split_sentences(quotable_text(chunk.text, chunk.metadata)) if is_quotable(s) and s.casefold() != title), "")
    return sentence if len(sentence) <= 220 else sentence[:217].rsplit(" ", 1)[0] + "…"


def _short(term: str) -> str:
    """'AI Oversight Committee (AIOC)' -> 'the AIOC'; plain terms as they are."""
    acronym = re.search(r"\(([A-Z][A-Za-z0-9]{1,7})\)\s*$", term)
    return f"the {acronym.group(1)}" if acronym else term


class OnboardingGuide:
    """Builds the guide once per index version, role and facilitator edit; verifying starters is costly."""

    def __init__(self, service: AnswerService) -> None:
        self.service = service
        self._cache: dict[tuple[object, ...], Onboarding] = {}
        self._lock = threading.Lock()

    def get(self, role: str) -> Onboarding:
        if role not in ROLE_RANK:
            raise ValueError(f"unknown role {role!r}")
        with self.service.index.db.session() as session:
            edits = (
                tuple(session.scalars(select(OnboardingPin.doc_id).order_by(OnboardingPin.position))),
                tuple(session.execute(select(GlossaryOverride.term_key, GlossaryOverride.updated_at)).all()),
            )
        key = (self.service.view.current().version, role, edits)
        with self._lock:
            if key not in self._cache:
                self._cache = {key: build(self.service, role)} | {k: v for k, v in self._cache.items() if k[0] == key[0]}
            return self._cache[key]
