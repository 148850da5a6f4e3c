"""spaCy's parse, and what is read without it."""

from __future__ import annotations

import pytest

from peerassist.nlp import NOUN_PHRASES, annotate, kind_names, main_verbs, named_kinds, remember_subjects, subjects, subjects_of


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Can we use a Teams channel for this?", ("Teams",)),
        ("Can I use BrigidGPT to summarise a letter?", ()),  # before a function word: no noun it names a kind of
        ("Is it allowed in BrigidGPT?", ()),  # the last word
        ("Our ward wants it. Can we change the threshold?", ()),  # sentences' opening words
        ("Do I need the DPO's training first?", ("DPO",)),  # not the possessive
        ("Which U.S. state joined last?", ("U.S.",)),  # spaCy's word, full stops and all
    ],
)
def test_kind_names_are_the_capitalised_words_before_another(question: str, names: tuple[str, ...]) -> None:
    assert kind_names(question) == names


@pytest.mark.parametrize(
    "question",
    ["Can we use a Teams channel for this?", "Is the ED X-ray viewer showing a No AI flag?", "Which U.S. state joined last?"],
)
def test_every_name_the_parse_finds_is_a_kind_name(question: str) -> None:
    named = {name for name, _ in named_kinds(question)}
    assert named and named <= set(kind_names(question))


def test_saved_subjects_are_the_parse_and_are_used_without_it() -> None:
    heading = "Do vendors come to meetings?"
    parsed = tuple(t.lower_ for t in annotate(heading, NOUN_PHRASES) if t.dep_ in {"nsubj", "nsubjpass"})
    assert subjects_of([heading, heading], {}) == {heading: list(parsed)} == {heading: ["vendors"]}
    remember_subjects({"Do guests pay?": ["visitors"]})  # (a saved index's, as the ingest found them)
    assert subjects("Do guests pay?") == ("visitors",)


@pytest.mark.parametrize(
    ("question", "verbs"),
    [
        ("Can I bring a guest to a meeting?", ("bring",)),
        ("Is it OK to paste a letter into ChatGPT?", ("is", "paste")),  # the action a permission asks about
        ("Am I allowed to put patient data into BrigidGPT?", ("allowed", "put")),
    ],
)
def test_main_verbs_are_the_root_and_the_action_asked_leave_for(question: str, verbs: tuple[str, ...]) -> None:
    assert main_verbs(question) == verbs
