"""Closing the loop: an approved member answer becomes a cited document and resolves its gap.

The answer is written as a Markdown FAQ document (the question as its heading, the answer,
who answered and who approved, the date, the gap topic's label as a tag) into the
`community-answers/` folder and ingested like any other, so the next member who asks gets
it cited. The gap counts as resolved only if the question, asked again, is answered citing
that document. The asker sees it on their next visit to the widget, and by email only
when mail is configured.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import yaml

from peerassist import community, query_log
from peerassist.db import CommunityQuestion, GapResolution, utcnow
from peerassist.ingest.pipeline import Ingestor, doc_id_for
from peerassist.ingest.sources.mirror import slug
from peerassist.insights.gaps import topics
from peerassist.retriever.service import AnswerService

log = logging.getLogger(__name__)
TOPIC_DAYS = 365  # how far back the gap topics that name an approved answer's tag are looked for


@dataclass
class Approval:
    doc_id: str
    title: str
    resolved: bool  # asked again, the question is answered citing the new document
    notified: str | None  # "email" when a mail went out, "widget" when the asker sees it on their next visit


def approve(service: AnswerService, question_id: str, answer_id: str, approver: str) -> Approval:
    """Write, ingest and verify the approved answer's document; then mark it approved and tell the asker."""
    db = service.index.db
    found = community.claim_for_approval(db, question_id, answer_id)
    try:
        doc_id = _write_document(service, found, answer_id, approver)
    except BaseException:
        community.release(db, question_id)
        raise
    question, answer = found.question, next(a for a in found.answers if a.id == answer_id)
    community.mark_approved(db, question.id, answer.id, approver, doc_id)
    notified = _notify(service, question, answer.text)
    try:
        resolved = _resolve_gap(service, question.query_id, question.question, doc_id)
    except Exception:  # noqa: BLE001 - the answer is approved and stored; the gap can be rechecked later
        log.exception("could not re-ask question %s after approving its answer", question.id)
        resolved = False
    return Approval(doc_id, question.question, resolved, notified)


def _write_document(service: AnswerService, found: community.Thread, answer_id: str, approver: str) -> str:
    """The approved answer as a Markdown FAQ document, written and ingested; its doc id."""
    question, answer = found.question, next(a for a in found.answers if a.id == answer_id)
    folder = service.settings.community_answers_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(question.question, 60)}-{question.id[:8]}.md"
    tags = [community.COMMUNITY_TAG, *_topic_labels(service, question.query_id)]
    front = {"title": question.question, "author": answer.author, "approved_by": approver, "date": utcnow().date().isoformat(), "tags": tags}
    refs = _reference_titles(service, answer.doc_refs)
    body = f"# {question.question}\n\n{answer.text.strip()}\n" + (f"\nSee also: {'; '.join(refs)}.\n" if refs else "")
    path.write_text(f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n{body}", encoding="utf-8")
    report = Ingestor(service.index).run([path])
    if report.failed:
        path.unlink(missing_ok=True)
        raise ValueError(f"the answer could not be stored as a document: {report.failed[0].error}")
    return doc_id_for(path)


def _resolve_gap(service: AnswerService, query_id: str, question: str, doc_id: str) -> bool:
    """Earned resolution: asked again, the answer must cite the new document."""
    answer = service.ask_again(question)
    cited = next((c for c in answer.citations if c.doc_id == doc_id), None) if answer and answer.answered else None
    if cited is None:
        return False
    query_log.replace_resolution(
        service.index.db,
        GapResolution(query_id=query_id, resolved_by=doc_id, resolved_title=cited.title, confidence=answer.confidence),
    )
    return True


def _topic_labels(service: AnswerService, query_id: str) -> list[str]:
    return [t.label for t in topics(service, TOPIC_DAYS) if query_id in t.query_ids][:1]


def _reference_titles(service: AnswerService, doc_refs: list[str]) -> list[str]:
    documents = service.view.current().documents
    return [documents[d].title for d in doc_refs if d in documents]


def _notify(service: AnswerService, question: CommunityQuestion, text: str) -> str | None:
    """Mail the asker if they left an address and mail is configured; else the widget shows it on their next visit."""
    target, smtp_url = question.notify, service.settings.smtp_url
    if not target:
        return None
    if "@" not in target or not smtp_url:
        return "widget"
    message = EmailMessage()
    message["From"], message["To"] = service.settings.mail_from, target
    message["Subject"] = f"Your question was answered: {question.question[:80]}"
    message.set_content(f"You asked: {question.question}\n\nThe community answered:\n\n{text.strip()}\n\n— Peer Assist")
    parts = urlsplit(smtp_url)
    try:
        with smtplib.SMTP(parts.hostname or "localhost", parts.port or 25, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not mail the asker of question %s (%s); the widget will show it", question.id, exc)
        return "widget"
    return "email"
