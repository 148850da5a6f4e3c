"""A mailing-list archive (mbox): each thread a document, attachments parsed like files.

Threads follow `References` and `In-Reply-To` (the nearest ancestor present in the archive).
Quoted text, "On ... wrote:" lines and signatures are stripped, so an answer quotes what a
person wrote, not what they replied to; authors are kept as contributors.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePath
from typing import Any

from lxml import html as lxml_html

from peerassist.ingest.parsing import SUPPORTED_SUFFIXES
from peerassist.ingest.sources.mirror import SourceDocument, SourceFailed, slug, thread_people

MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv)\s*(\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)+", re.IGNORECASE)
ATTRIBUTION = re.compile(r"^(on\b.{0,200}\bwrote:|.{0,100}\bwrote:)\s*$", re.IGNORECASE)
# Where a reply's own words end: a signature, a forwarded or quoted original, a phone footer.
ENDS = re.compile(r"^(--\s*|-{3,}\s*original message\s*-{3,}|_{10,}|sent from my \w+.*)$", re.IGNORECASE)


@dataclass
class Mail:
    id: str
    parent_ids: list[str]  # In-Reply-To and References, nearest ancestor last
    subject: str
    author: str
    date: str | None
    body: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def mbox_documents(path: Path, *, tags: list[str], errors: list[dict[str, str]]) -> Iterator[SourceDocument]:
    if not path.is_file():
        raise SourceFailed(f"mailing-list archive not found: {path}")
    mails = list(_read(path, errors))
    if not mails:
        raise SourceFailed(f"no messages found in {path.name}: is it an mbox file (messages starting with 'From ' lines)?")
    known = {m.id: m for m in mails}
    threads: dict[str, list[Mail]] = {}
    for mail in mails:
        threads.setdefault(_root(mail, known), []).append(mail)
    for root_id, thread in threads.items():
        yield from _documents(known.get(root_id, thread[0]), thread, tags)


def _documents(root: Mail, thread: list[Mail], tags: list[str]) -> Iterator[SourceDocument]:
    replies = [m for m in thread if m is not root]
    title = SUBJECT_PREFIX.sub("", root.subject).strip() or "(no subject)"
    lines = [f"# {title}", "", root.body, ""] + [f"{m.author}: {m.body}\n" for m in replies if m.body]
    folder = f"{(root.date or 'undated')[:10]}-{slug(title, 40)}-{hashlib.sha256(root.id.encode()).hexdigest()[:8]}"
    meta: dict[str, Any] = thread_people(root.author, [(m.author, m.body) for m in replies if m.body]) | {
        "title": title,
        "tags": list(tags),
        "message_id": root.id,
    }
    if root.date:
        meta["date"] = root.date[:10]
    yield SourceDocument(f"{folder}/thread.md", "\n".join(lines).encode(), meta)
    used: set[str] = set()
    for mail in thread:
        for name, data in mail.attachments:
            # Never the thread's own file name, and two attachments of one name both kept.
            stem, suffix = f"attachment-{slug(PurePath(name).stem, 60)}", PurePath(name).suffix.lower()
            file_name, n = f"{stem}{suffix}", 1
            while file_name in used:
                file_name, n = f"{stem}-{n}{suffix}", n + 1
            used.add(file_name)
            yield SourceDocument(f"{folder}/{file_name}", data, meta | {
                "title": f"{name} (attached to “{title}”)", "author": mail.author, "contributors": [mail.author],
            })


def _root(mail: Mail, known: dict[str, Mail]) -> str:
    """The oldest ancestor present in the archive (a reply whose parent is missing starts its own thread)."""
    seen = {mail.id}
    while parent := next((p for p in reversed(mail.parent_ids) if p in known and p not in seen), None):
        mail = known[parent]
        seen.add(mail.id)
    return mail.id


def _read(path: Path, errors: list[dict[str, str]]) -> Iterator[Mail]:
    box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default), create=False)
    for position, message in enumerate(box, start=1):
        try:
            yield _mail(message, position)
        except Exception as exc:  # one broken message never stops the archive
            errors.append({"item": f"message {position}", "error": f"cannot read: {str(exc)[:200]}"})


def _mail(message: EmailMessage, position: int) -> Mail:
    raw_id = _header(message, "Message-ID")
    found = MESSAGE_ID.search(raw_id)
    mail_id = found.group(1) if found else raw_id.strip() or f"no-id-{position}-{hashlib.sha256(bytes(message)).hexdigest()[:12]}"
    parents = MESSAGE_ID.findall(_header(message, "References")) + MESSAGE_ID.findall(_header(message, "In-Reply-To"))
    name, address = (getaddresses([_header(message, "From")]) or [("", "")])[0]
    author = name.strip() or address.split("@")[0] or "someone"
    try:
        date = parsedate_to_datetime(_header(message, "Date")).date().isoformat()
    except (TypeError, ValueError, IndexError):
        date = None
    attachments = []
    for part in message.iter_attachments() if message.is_multipart() else []:
        filename = part.get_filename()
        if filename and PurePath(filename).suffix.lower() in SUPPORTED_SUFFIXES:
            attachments.append((filename, part.get_payload(decode=True) or b""))
    return Mail(mail_id, parents, _header(message, "Subject"), author, date, _own_words(_body(message)), attachments)


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; a malformed one is read raw rather than failing the message."""
    try:
        return str(message.get(name, "") or "")
    except Exception:  # noqa: BLE001 - the email package raises many kinds on broken headers
        raw = message.get_all(name, failobj=[]) if hasattr(message, "get_all") else []
        return str(raw[0]) if raw else ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = lxml_html.fromstring(text).text_content() if text.strip() else ""
    return str(text)


def _own_words(text: str) -> str:
    """The reply without what it quotes, its attribution line and its signature."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").splitlines():
        stripped = line.strip()
        if ENDS.match(stripped) and (stripped.startswith("--") or kept):
            break
        if stripped.startswith(">") or ATTRIBUTION.match(stripped):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()
