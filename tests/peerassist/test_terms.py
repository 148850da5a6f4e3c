"""What a question asks about, in the terms every layer shares."""

from __future__ import annotations

import pytest

from peerassist.terms import asks_nothing, content_terms


@pytest.mark.parametrize(
    ("question", "nothing"),
    [
        ("hi", True), ("Hello there!", True), ("thank you very much", True), ("ok", True), ("testing", True),
        ("can you help me?", True), ("who are you?", True), ("what is it?", True), ("?", True),
        ("good morning everyone", True),
        ("Hi, how do I join?", False), ("help me find the DPIA template", False), ("Test results for ChestFlag?", False),
        ("Who are the facilitators?", False), ("Thanks - and when is the next meeting?", False),
    ],
)
def test_small_talk_and_wordless_questions_ask_nothing(question: str, nothing: bool) -> None:
    assert asks_nothing(question) is nothing


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        # the measure after "how" is the kind of answer wanted, not what the question is about
        ("How often does the CoP meet?", {"cop", "meet"}),
        ("How long does access take?", {"access", "take"}),
        ("How soon is feedback given?", {"feedback", "given"}),
        # elsewhere it is a word like any other
        ("Why are alerts often ignored at night?", {"alert", "often", "ignor", "night"}),
        ("Is long COVID covered?", {"long", "covid", "cover"}),
    ],
)
def test_the_measure_a_question_asks_for_is_not_a_term(question: str, terms: set[str]) -> None:
    assert content_terms(question) == terms


def test_a_members_hedges_are_not_what_the_question_is_about() -> None:
    """Rare in a small corpus, "think", "might" and "couple" outweighed "security" and "ChestFlag"."""
    assert content_terms("I think one of our AI tools might have a security hole.") == content_terms("One of our AI tools have a security hole.")
    assert not {"think", "might", "coupl"} & content_terms("I think ChestFlag has been down for a couple of hours now, just so you know.")
    assert "think" in content_terms("What did Luther think of the Pope?")  # a verb asked about, not a hedge
    # ... nor is asking leave: "fine", a word no document uses, outweighed "screenshot"
    assert content_terms("Is it fine to share a screenshot?") == content_terms("Is it OK to share a screenshot? Is that ok?") == {"share", "screenshot"}
    assert "fine" in content_terms("Was the vendor fined?")
    # ... nor an auxiliary written short: "ve" was a term no document uses
    assert content_terms("I've noticed we're late and they'll know") == content_terms("I noticed we late and they know")
    assert content_terms("Is Lorcan O'Reilly the chair?") >= {"lorcan", "reilli"}


def test_asking_for_a_reason_and_who_says_so_are_not_what_the_question_is_about() -> None:
    """As rare words the answer lacked, "reasoning" and "behind" made the lesson explaining a saying look like a miss."""
    asked = content_terms("People keep saying \"don't generate what you can retrieve\". What's the reasoning behind that?")
    assert asked == content_terms("don't generate what you can retrieve"), asked
    assert content_terms("What is the rationale for the vendor showcase?") == content_terms("the vendor showcase")
    assert "reason" in content_terms("Is reasoning a skill an LLM has?")  # a thing asked about, not the asking
    # ... and so "behind" in who is responsible: "Who's the vendor behind ChestFlag?" asks for the vendor of it
    assert content_terms("Who's the vendor behind ChestFlag?") == content_terms("Who's the vendor of ChestFlag?")
    assert "behind" in content_terms("Who sits behind the desk?")
    # ... and the company asked for: "from Lumina Imaging" answers "Which company makes ChestFlag?" without the word
    assert content_terms("Which company makes ChestFlag?") == content_terms("Which makes ChestFlag?")
    assert "vendor" in content_terms("Who is the vendor of ChestFlag?")  # (what the answer is: "from the vendor X")


def test_asking_what_a_document_says_is_not_what_the_question_is_about() -> None:
    """"say about" and "according to" frame a question about what a document says; "Can patients say no?" asks about
    saying."""
    assert content_terms("What does the charter say about vendors?") == content_terms("the charter vendors")
    assert content_terms("According to the GenAI guide, is it allowed?") == content_terms("the GenAI guide, is it allowed?")
    assert "say" in content_terms("Can patients say no?")


def test_a_short_negation_is_no_term() -> None:
    """"What doesn't the CoP do?" was refused (0.20): "doesn" counted as a term no document uses (85% of the question)."""
    assert content_terms("What doesn't the CoP do?") == content_terms("What does the CoP not do?") == {"cop"}
    assert content_terms("Why won't it work? I can't join.") == content_terms("Why will it not work? I can not join.")


def test_chat_spellings_of_question_words_are_written_out() -> None:
    """"wat is automation bias" was refused (0.99): "wat" is no question word, so it did not ask what the term is."""
    from peerassist.terms import with_question_words

    assert with_question_words("wat is automation bias") == "what is automation bias"
    assert with_question_words("Whos the CSO? hw do i join") == "who's the CSO? how do i join"
    assert with_question_words("What does the Watford team do?") == "What does the Watford team do?"  # whole words only
