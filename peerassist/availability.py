"""Recognising a dependency that is down, so callers say so (HTTP 503, one CLI line) instead of a traceback.

The Chroma client reports a stopped server as `httpx` transport errors, or as a ValueError
("Could not connect to a Chroma server") wrapping one; SQLAlchemy reports a database it
cannot reach as OperationalError/InterfaceError. Both recover without a restart once the
dependency is back, so the caller is told to retry.
"""

from __future__ import annotations

from collections.abc import Iterator

from peerassist.migrations import SchemaError
from peerassist.settings import Settings
from peerassist.store import RegistryMissing

RETRY_AFTER_SECONDS = 10


def failure_types() -> tuple[type[BaseException], ...]:
    """The exception classes `unavailable` may recognise (an app registers its 503 handler for these)."""
    import httpx
    from sqlalchemy.exc import InterfaceError, OperationalError

    return (SchemaError, RegistryMissing, ValueError, ConnectionError, httpx.TransportError, OperationalError, InterfaceError)


def unavailable(exc: BaseException, settings: Settings) -> str | None:
    """What is down, in one line, or None when `exc` is not a dependency failure."""
    import httpx
    from sqlalchemy.exc import InterfaceError, OperationalError

    for error in _chain(exc):
        if isinstance(error, SchemaError | RegistryMissing):
            return str(error)
        if isinstance(error, httpx.TransportError | ConnectionError) or (
            isinstance(error, ValueError) and "Could not connect to a Chroma server" in str(error)
        ):
            where = f"the Chroma server at {settings.chroma_url}" if settings.chroma_url else "the embedded Chroma store"
            return f"{where} is not reachable; try again when it is back"
        if isinstance(error, OperationalError | InterfaceError):
            detail = str(error.orig or error).strip().splitlines()[0]
            return f"the records database is not reachable ({detail}); try again when it is back"
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
