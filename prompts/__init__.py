"""Versioned prompt templates, loaded by name.

Each template is `NAME.vN.yaml` in this folder; `load_prompt("answer")` takes the highest
version and `load_prompt("answer@v1")` pins one, so a prompt change is a new file that an
eval run can compare against the old one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from langchain_core.prompts import ChatPromptTemplate

PROMPT_DIR = Path(__file__).parent
_FILE = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.yaml$")


class PromptNotFound(LookupError):
    pass


def prompt_path(spec: str) -> Path:
    name, _, pinned = spec.partition("@v")
    versions = {
        int(m.group("version")): path
        for path in PROMPT_DIR.glob(f"{name}.v*.yaml")
        if (m := _FILE.match(path.name)) and m.group("name") == name
    }
    if not versions:
        raise PromptNotFound(f"no prompt named {name!r} in {PROMPT_DIR}")
    if pinned:
        if int(pinned) not in versions:
            raise PromptNotFound(f"prompt {name!r} has no version {pinned} (has {sorted(versions)})")
        return versions[int(pinned)]
    return versions[max(versions)]


def load_prompt(spec: str) -> ChatPromptTemplate:
    from langchain_core.prompts import ChatPromptTemplate

    data = yaml.safe_load(prompt_path(spec).read_text(encoding="utf-8"))
    return ChatPromptTemplate.from_messages([(m["role"], m["content"]) for m in data["messages"]])
