"""API keys: random secrets shown once, stored as SHA-256 hashes (they are high-entropy, so no KDF)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, timedelta

from sqlalchemy import select, update

from peerassist.db import ApiKey, Database, utcnow
from peerassist.roles import ROLE_RANK

KEY_PREFIX = "pa_"
# `last_used_at` is written at most this often per key: a write per request would serialise a busy server.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(db: Database, role: str, origins: list[str] | None = None) -> tuple[ApiKey, str]:
    """A new key with a role (member, facilitator, admin); returns the record and the secret."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLE_RANK)}")
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=uuid.uuid4().hex, key_hash=_hash(token), prefix=token[:10], role=role,
        origins=[o.rstrip("/") for o in origins or []],
    )
    with db.session() as session:
        session.add(row)
    return row, token


def find_key(db: Database, token: str) -> ApiKey | None:
    with db.session() as session:
        return session.scalars(select(ApiKey).where(ApiKey.key_hash == _hash(token), ApiKey.revoked.is_(False))).first()


def touch_key(db: Database, key: ApiKey) -> None:
    """Record that the key was just used (to LAST_USED_RESOLUTION)."""
    now = utcnow()
    seen = key.last_used_at
    if seen is not None and now - (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) < LAST_USED_RESOLUTION:
        return
    with db.session() as session:
        session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))


def list_keys(db: Database) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first (the hashes stay in the database)."""
    with db.session() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


class UnknownKeyError(LookupError):
    pass


def revoke_key(db: Database, key_id: str) -> bool:
    """Revoke at once for every worker (each request reads the key); False if it already was."""
    with db.session() as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            raise UnknownKeyError(f"no API key with id {key_id!r} (see 'peerassist keys list')")
        was_live = not key.revoked
        key.revoked = True
    return was_live
