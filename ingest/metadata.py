"""Document metadata: Markdown front-matter, `NAME.meta.yaml` sidecars and folder `_meta.yaml` defaults.

Precedence, weakest first: `_meta.yaml` of outer folders, then inner folders, then front-matter,
then the sidecar. Folder defaults are looked up from the file upwards, so a file gets the same
metadata however it was named on the command line (and so the same content hash).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from peerassist.roles import ROLE_RANK

FOLDER_DEFAULTS = "_meta.yaml"
SIDECAR_SUFFIX = ".meta.yaml"

# Audience labels that restrict a document to a role.
RESTRICTED_AUDIENCES = {"facilitator": "facilitator", "facilitators": "facilitator", "admin": "admin", "admins": "admin"}
# Labels that open a document to every member. A label that is neither (a typo, "facilitator-only")
# fails closed: it counts as facilitator-only and is reported at ingest. Groups of members
# ("clinicians", "it-staff") beside one of these are fine: any public label opens the document.
PUBLIC_AUDIENCES = frozenset({"member", "members", "newcomer", "newcomers", "everyone", "all", "public", "staff"})
UNKNOWN_AUDIENCE_ROLE = "facilitator"


class MetadataError(ValueError):
    """Malformed or invalid metadata; the message names the file and the problem."""


class DocumentMeta(BaseModel):
    """The known keys, validated; unknown keys are kept as they are."""

    model_config = ConfigDict(extra="allow")

    title: str | None = None
    author: str | None = None
    tags: list[str] = []
    date: str | None = None
    audience: list[str] = []

    @field_validator("tags", "audience", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            raise ValueError("must be a list of words or a comma-separated string")
        return [str(v).strip().lower() for v in value if str(v).strip()]

    @field_validator("author", mode="before")
    @classmethod
    def _author(cls, value: Any) -> str | None:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return None if value is None else str(value)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str | None:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return None if value is None else str(value)

    @property
    def visibility(self) -> str:
        """The lowest role that may see the document: public if there are no labels or a public one."""
        if not self.audience or PUBLIC_AUDIENCES.intersection(self.audience):
            return "member"
        return min((RESTRICTED_AUDIENCES.get(label, UNKNOWN_AUDIENCE_ROLE) for label in self.audience), key=ROLE_RANK.__getitem__)

    @property
    def unknown_audiences(self) -> list[str]:
        """Labels neither public nor a role that decided this document's visibility (fail-closed)."""
        if self.visibility == "member":
            return []
        return [label for label in self.audience if label not in RESTRICTED_AUDIENCES]

    def as_record(self) -> dict[str, Any]:
        """A JSON-safe dict (unknown keys included) for the registry and the content hash."""
        return _json_safe(self.model_dump(exclude_none=True) | {"visibility": self.visibility})


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(front-matter, body) of a Markdown text; a file without front-matter gives ({}, text)."""
    stripped = text.lstrip("\ufeff")
    if not stripped.startswith("---"):
        return {}, text
    lines = stripped.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return {}, text
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            front_matter = _parse_yaml("".join(lines[1:i]), f"front-matter of {path}", first_line=2)
            return front_matter, "".join(lines[i + 1 :])
    raise MetadataError(f"front-matter of {path} is not closed with a '---' line")


def resolve_metadata(
    path: Path, front_matter: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None
) -> DocumentMeta:
    """`defaults`: the weakest layer, from the source that declared the folder (sources.yaml)."""
    merged: dict[str, Any] = dict(defaults or {})
    for folder in reversed(path.resolve().parents):
        merged |= _folder_defaults(folder)
    merged |= front_matter or {}
    sidecar = sidecar_for(path)
    if sidecar is not None:
        merged |= _load_yaml_file(sidecar)
    try:
        return DocumentMeta.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise MetadataError(f"invalid metadata for {path.name}: {problems}") from None


def sidecar_for(path: Path) -> Path | None:
    """`report.pdf.meta.yaml`, or `report.meta.yaml`, beside the document."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def is_metadata_file(path: Path) -> bool:
    return path.name == FOLDER_DEFAULTS or path.name.endswith(SIDECAR_SUFFIX)


def _folder_defaults(folder: Path) -> dict[str, Any]:
    path = folder / FOLDER_DEFAULTS
    if not path.is_file():
        return {}
    stat = path.stat()
    return _load_yaml_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load_yaml_cached(path: str, _mtime_ns: int, _size: int) -> dict[str, Any]:
    return _load_yaml_file(Path(path))


def _load_yaml_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(f"cannot read metadata file {path}: {exc}") from None
    return _parse_yaml(text, str(path))


def _parse_yaml(text: str, where: str, first_line: int = 1) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # The construct's start (e.g. an unclosed '[') is more useful than where YAML gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + first_line}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MetadataError(f"malformed YAML in {where}{at}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MetadataError(f"malformed YAML in {where}: expected key: value pairs, got a {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
