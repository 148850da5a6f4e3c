from __future__ import annotations

import pytest

from peerassist.retriever.conversation import condense, is_follow_up


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("What is the sepsis pilot?", "and who leads it?", "Who leads the sepsis pilot?"),
        ("Who chairs the AI Oversight Committee?", "When does it meet?", "When does the AI Oversight Committee meet?"),
        ("What is ChestFlag?", "what about ScribeAssist?", "What is ScribeAssist?"),
        ("What is the DPIA process?", "How long does it take?", "How long does the DPIA process take?"),
        ("What is ChestFlag?", "What are its limits?", "What are ChestFlag's limits?"),
        ("What is a DPIA?", "When do I need one?", "When do I need a DPIA?"),
        # a name the tagger parses as no noun ("BrigidGPT" as an adjective) is still the topic
        ("What is BrigidGPT?", "Can I use it for patient letters?", "Can I use BrigidGPT for patient letters?"),
        # a follow-up about nothing of its own takes the topic
        ("When is AI Literacy Week?", "Do I need to register?", "Do I need to register (AI Literacy Week)?"),
        # two pointers: the second stands for the previous question's other thing
        ("What threshold did the sepsis pilot end up with?", "Why did they change it?", "Why did the sepsis pilot change the threshold?"),
        # the topic is what the question is about, not the phrase it asks with ("What tier")
        ("What tier is ScribeAssist?", "Who signs off its safety case?", "Who signs off ScribeAssist's safety case?"),
        # "that" before a noun points with it: no pronoun to replace ("What does What tier tier need?")
        ("What tier is ScribeAssist?", "What does that tier need?", "What does that tier need (ScribeAssist)?"),
        ("What is ChestFlag?", "Is that tool live?", "Is that tool live (ChestFlag)?"),
        ("What is ChestFlag?", "Is that safe?", "Is ChestFlag safe?"),
    ],
)
def test_follow_ups_take_the_previous_topic(previous: str, follow_up: str, standalone: str) -> None:
    assert condense(follow_up, previous) == standalone


def test_a_question_that_stands_alone_is_kept() -> None:
    for question in ("Who approves new AI tools for clinical use?", "How long did one audit of the scribe take?"):
        assert not is_follow_up(question)
        assert condense(question, "What is the DPIA process?") == question
