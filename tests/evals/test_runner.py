"""Scoring worked out by hand on synthetic outcomes, and a real run over a tiny golden set."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerassist.evals.datasets import EvalQuestion, load_golden
from peerassist.evals.runner import Outcome, _leads_with_restriction, eval_settings, failures, prepare, run, score
from peerassist.retriever.service import AskOptions
from tests.retriever.conftest import service_over


def outcome(question: EvalQuestion, answer: str, cited: list[tuple[str, str]], answered: bool) -> Outcome:
    return Outcome(question, question.question, [k for k, _ in cited] or ["x"], {}, answer, cited, 0.01, 0.5, answered)


def test_answer_abstention_and_citation_metrics_by_hand() -> None:
    right = EvalQuestion("1", "Q1", ["Room 4B"], {"a.md"}, True)
    wrong = EvalQuestion("2", "Q2", ["Tuesday"], {"b.md", "c.md"}, True, needs_all=True)
    refused_ok = EvalQuestion("3", "Q3", [], set(), False)
    answered_bad = EvalQuestion("4", "Q4", [], set(), False)
    outcomes = [
        outcome(right, "It is in Room 4B. [1]", [("a.md", "It is in Room 4B.")], True),
        outcome(wrong, "On Mondays. [1]", [("b.md", "On Mondays."), ("z.md", "Other.")], True),
        outcome(refused_ok, "", [], False),
        outcome(answered_bad, "Something. [1]", [("a.md", "Something.")], True),
    ]
    m = score(outcomes)
    assert m["answered_rate"] == 1.0 and m["answer_contains"] == 0.5
    assert m["abstain_recall"] == 0.5  # one of two unanswerable refused
    assert m["abstain_precision"] == 1.0  # the only refusal was right
    assert m["citation_precision"] == pytest.approx(2 / 3, abs=1e-4)  # a.md, b.md right; z.md wrong
    assert m["citation_recall"] == pytest.approx((1 + 0.5) / 2, abs=1e-4)  # all of a; half of b+c
    assert [f["id"] for f in failures(outcomes)] == ["2", "4"]


def test_member_style_metrics_by_hand() -> None:
    """fact_recall needs every fact (any wording of each); refusal rates count member-style questions only."""
    complete = EvalQuestion("1", "Q1", [], {"a.md"}, True, kind="procedure", facts=[["joining form"], ["AI Essentials", "LearnBrigid"]])
    partial = EvalQuestion("2", "Q2", [], {"a.md"}, True, kind="procedure", facts=[["joining form"], ["Welcome Session"]])
    refused = EvalQuestion("3", "Q3", [], {"a.md"}, True, kind="yesno", facts=[["never"]])
    unanswerable = EvalQuestion("4", "Q4", [], set(), False, kind="unanswerable")
    answered_anyway = EvalQuestion("5", "Q5", [], set(), False, kind="unanswerable")
    classic = EvalQuestion("6", "Q6", ["Room 4B"], {"a.md"}, True)  # no kind: not in the member-style rates
    outcomes = [
        outcome(complete, "Fill in the joining form. [1] Then do the module on LearnBrigid. [1]", [("a.md", "x")], True),
        outcome(partial, "Fill in the joining form. [1]", [("a.md", "x")], True),
        outcome(refused, "", [], False),
        outcome(unanswerable, "", [], False),
        outcome(answered_anyway, "Something. [1]", [("a.md", "x")], True),
        outcome(classic, "", [], False),
    ]
    outcomes[0].leads_with_restriction, outcomes[1].leads_with_restriction = True, False
    m = score(outcomes)
    assert m["fact_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["false_refusal_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["unanswerable_refused"] == 0.5
    assert m["restriction_not_first"] == 0.5
    assert outcomes[1].correct and not outcomes[1].complete
    assert [f["id"] for f in failures(outcomes)] == ["2", "3", "5", "6"]
    assert score([outcome(classic, "Room 4B [1]", [("a.md", "x")], True)]).get("fact_recall") is None


def test_no_refusals_leaves_abstain_precision_undefined() -> None:
    q = EvalQuestion("1", "Q", ["x"], {"a.md"}, True)
    assert score([outcome(q, "x [1]", [("a.md", "x")], True)])["abstain_precision"] is None


def test_a_run_over_a_tiny_golden_set(tmp_path: Path, kb: Path, embedded_settings) -> None:  # type: ignore[no-untyped-def]
    golden = tmp_path / "golden.yaml"
    golden.write_text(
        f"name: mini\ncorpus: {kb}\nquestions:\n"
        '  - {id: room, question: "Which room do we meet in?", answers: ["Room 4B"], sources: [charter.md]}\n'
        '  - {id: budget, question: "What is the training budget for 2026?", answers: ["12,000"],'
        " sources: [private/budget.txt], role: facilitator}\n"
        '  - {id: budget-member, question: "What is the training budget for 2026?", answerable: false}\n'
        '  - {id: pizza, question: "What is the best pizza topping in Naples?", answerable: false}\n'
    )
    data = load_golden(golden)
    prepared = prepare(data, embedded_settings)
    assert eval_settings(embedded_settings, data).data_dir.parent == embedded_settings.data_dir / "evals"
    outcomes = {o.question.id: o for o in run(prepared, data.questions, "hybrid")}
    assert outcomes["room"].ranked_docs[0] == "charter.md" and outcomes["room"].correct
    assert outcomes["budget"].ranked_docs[0] == "private/budget.txt"
    assert "private/budget.txt" not in outcomes["budget-member"].ranked_docs  # members never see it
    # A rerun re-embeds nothing.
    assert prepare(data, embedded_settings).report["unchanged"] == 4


def test_a_yes_no_answer_led_by_its_faq_question_then_the_restriction_leads_with_the_restriction(tmp_path: Path) -> None:
    """The entry's own question, quoted before its "No.", is not the answer's first sentence."""
    _, service = service_over(tmp_path, ("faq.md", "Chatbot FAQ", "## Can I use the chatbot with patient information?\n\nNo. "
                              "The chatbot is approved for public and internal, non-patient information only.\n\n## Who runs "
                              "it?\n\nThe digital team."))
    considered = service.consider("Can I paste the minutes of our staff meeting into the chatbot?", AskOptions(log=False))
    assert considered.draft.claims[0].text == "Can I use the chatbot with patient information?"
    assert _leads_with_restriction(service, considered) is True
