from __future__ import annotations

import pytest

from peerassist.prompts import PromptNotFound, load_prompt, prompt_path


def test_prompts_load_by_name_and_pinned_version() -> None:
    assert prompt_path("answer").name == "answer.v1.yaml"
    assert prompt_path("answer@v1") == prompt_path("answer")
    messages = load_prompt("answer").format_messages(question="Q?", passages="<<<PASSAGE 1>>>")
    assert [m.type for m in messages] == ["system", "human"]
    assert "NOT_FOUND" in str(messages[0].content) and "Q?" in str(messages[1].content)


def test_unknown_prompt_or_version_is_named() -> None:
    with pytest.raises(PromptNotFound, match="no prompt named 'nope'"):
        prompt_path("nope")
    with pytest.raises(PromptNotFound, match="no version 9"):
        prompt_path("answer@v9")
