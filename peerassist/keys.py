"""API keys: random secrets shown once, stored as SHA-256 hashes (they are high-entropy, so no KDF)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import select

from peerassist.db import ApiKey, Database

KEY_PREFIX = "pa_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(db: Database, role: str, origins: list[str] | None = None) -> tuple[ApiKey, str]:
    """A new key with a role (member, facilitator, admin); returns the record and the secret."""
    from ingest.metadata import ROLE_RANK

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
