"""A Slack workspace export (a zip of channel folders of daily JSON files): each thread a document.

The root message is the question (the document's title and first paragraph), the replies
are the answer, each line led by who wrote it; the people are kept as contributors, the
channel as a tag. Bot messages, joins and leaves and emoji-only replies are dropped. The
zip is read member by member with caps on size and count: a zip bomb is refused, not unpacked.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from peerassist.ingest.sources.mirror import SourceDocument, SourceFailed, slug, thread_people

MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_MEMBER_BYTES = 50 * 1024 * 1024
# A member that claims to expand this many times over its compressed size is a bomb, not chat.
MAX_RATIO = 200
# Subtypes that are people talking; every other subtype (bot_message, channel_join, ...) is dropped.
SPOKEN = {None, "thread_broadcast", "file_share", "me_message"}
EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:")
MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]+)>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)[^>]*>")
# A root with no replies is a thread only if it says something (not "thanks all!").
MIN_LONE_WORDS = 8
TIMESTAMP = re.compile(r"^\d{1,12}(?:\.\d{1,9})?$")  # Slack's "1772362800.000100"
TITLE_CHARS = 120


@dataclass
class Message:
    ts: str
    user: str
    text: str


@dataclass
class Thread:
    channel: str
    root: Message
    replies: list[Message] = field(default_factory=list)


def slack_documents(path: Path, *, tags: list[str], link_base: str | None, errors: list[dict[str, str]]) -> Iterator[SourceDocument]:
    """One document per thread of the export; a daily file that cannot be read is reported and skipped."""
    with _open_zip(path) as archive:
        names = _members(archive)
        users = _users(archive, names)
        channel_ids = {c.get("name"): c.get("id") for c in _json(archive, "channels.json", names, errors) or [] if isinstance(c, dict)}
        threads: dict[tuple[str, str], Thread] = {}
        for name in sorted(names):
            parts = PurePosixPath(name).parts
            if len(parts) != 2 or not parts[1].endswith(".json"):
                continue
            channel = parts[0]
            for raw in _json(archive, name, names, errors) or []:
                message = _message(raw, users)
                if message is None:
                    continue
                if not TIMESTAMP.match(message.ts) or not TIMESTAMP.match(str(raw.get("thread_ts") or message.ts)):
                    errors.append({"item": name, "error": f"message with a malformed ts {message.ts!r} skipped", "kind": "skipped"})
                    continue
                root_ts = str(raw.get("thread_ts") or message.ts)
                key = (channel, root_ts)
                if root_ts == message.ts:
                    existing = threads.get(key)
                    threads[key] = Thread(channel, message, existing.replies if existing else [])
                else:
                    threads.setdefault(key, Thread(channel, Message(root_ts, "", ""))).replies.append(message)
    for (channel, root_ts), thread in sorted(threads.items()):
        if not thread.root.text or (not thread.replies and len(thread.root.text.split()) < MIN_LONE_WORDS):
            continue  # replies to a root the export lacks, or a lone one-liner
        link = f"{link_base.rstrip('/')}/archives/{channel_ids.get(channel, channel)}/p{root_ts.replace('.', '')}" if link_base else None
        yield _document(thread, tags, link)


def _document(thread: Thread, tags: list[str], link: str | None) -> SourceDocument:
    replies = sorted(thread.replies, key=lambda m: float(m.ts))
    title = _title(thread.root.text)
    lines = [f"# {title}", ""]
    if thread.root.text != title:
        lines += [thread.root.text, ""]
    lines += [f"{m.user}: {m.text}\n" for m in replies]
    meta: dict[str, Any] = thread_people(thread.root.user, [(m.user, m.text) for m in replies]) | {
        "title": title,
        "tags": [*tags, thread.channel],
        "date": datetime.fromtimestamp(float(thread.root.ts), UTC).date().isoformat(),
        "channel": thread.channel,
    }
    if link:
        meta["url"] = link
    return SourceDocument(f"{slug(thread.channel)}/{thread.root.ts}-{slug(title, 40)}.md", "\n".join(lines).encode(), meta)


def _message(raw: Any, users: dict[str, str]) -> Message | None:
    if not isinstance(raw, dict) or raw.get("type", "message") != "message":
        return None
    if raw.get("subtype") not in SPOKEN or raw.get("bot_id"):
        return None
    text = _plain(str(raw.get("text") or ""), users)
    if not re.search(r"\w", EMOJI_CODE.sub("", text)):
        return None  # emoji-only ("+1", ":tada:") or empty
    profile = raw.get("user_profile") or {}
    user = users.get(str(raw.get("user"))) or profile.get("real_name") or profile.get("display_name") or str(raw.get("user") or "someone")
    return Message(str(raw.get("ts")), user, text)


def _plain(text: str, users: dict[str, str]) -> str:
    """Slack's markup as text people read: mentions by name, links with their label."""
    text = MENTION.sub(lambda m: "@" + users.get(m.group(1), m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def _title(text: str) -> str:
    first = text.splitlines()[0].strip()
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS].rsplit(" ", 1)[0] + " …"


def _users(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    users = {}
    for user in _json(archive, "users.json", names, []) or []:
        if isinstance(user, dict) and user.get("id"):
            profile = user.get("profile") or {}
            users[str(user["id"])] = str(user.get("real_name") or profile.get("real_name") or user.get("name") or user["id"])
    return users


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SourceFailed(f"Slack export not found: {path}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceFailed(f"{path.name} is not a readable zip file ({exc})") from None


def _members(archive: zipfile.ZipFile) -> set[str]:
    """The member names, after refusing an archive whose declared sizes make it a bomb."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise SourceFailed(f"the export holds {len(infos)} files; the limit is {MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise SourceFailed(f"the export unpacks to {total / 2**20:.0f} MB; the limit is {MAX_TOTAL_BYTES // 2**20} MB")
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size)):
            raise SourceFailed(f"{info.filename} unpacks to {info.file_size / 2**20:.0f} MB from {info.compress_size} bytes: refused as a zip bomb")
    return {i.filename for i in infos if not i.is_dir()}


def _json(archive: zipfile.ZipFile, name: str, names: set[str], errors: list[dict[str, str]]) -> Any:
    """A member's JSON, read no further than its cap whatever its header claims; None (reported) if unreadable."""
    if name not in names:
        return None
    try:
        with archive.open(name) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise ValueError(f"over {MAX_MEMBER_BYTES // 2**20} MB unpacked")
        return json.loads(data)
    except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
        errors.append({"item": name, "error": f"cannot read: {str(exc)[:200]}"})
        return None
