"""The reporting period, written the same way on the command line and in URLs: `30d`."""

from __future__ import annotations

MAX_DAYS = 3650


def parse_days(text: str) -> int:
    """`30d` (or `30`) as a number of days; a ValueError that names the bad value otherwise."""
    value = text.strip().lower().removesuffix("d")
    if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise ValueError(f"since must be a number of days from 1 to {MAX_DAYS} like 30d, not {text!r}")
    return int(value)
