"""The roles a key can have, lowest first: who may see what and do what."""

from __future__ import annotations

ROLE_RANK = {"member": 0, "facilitator": 1, "admin": 2}
