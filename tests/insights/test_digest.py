"""The digest: charts from real counts, the HTML and Markdown reports, and "mark as handled"."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from peerassist.insights.digest import build, charts, markdown_text, render_html, write_markdown
from peerassist.insights.gaps import mark_handled, topics
from peerassist.cli import app
from peerassist.retriever.service import AnswerService
from tests.insights.conftest import HOSTILE, PARKING, seed, seed_digest_log
from tests.retriever.conftest import ingest


@pytest.fixture
def service(embedded_settings, kb) -> AnswerService:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    return AnswerService(embedded_settings)


def bar_heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]


def test_charts_draw_every_day_of_the_period_from_the_log(service: AnswerService) -> None:
    seed_digest_log(service)
    digest = build(service, 14)
    drawn = charts(digest)
    heights = bar_heights(drawn["questions"])
    assert len(heights) == 14  # quiet days are drawn too, as empty bars
    per_day = [digest.summary.questions_per_day.get(d, 0) for d in sorted(digest.summary.questions_per_day)]
    assert sorted(h for h in heights if h) == pytest.approx(sorted(max(heights) * n / max(per_day) for n in per_day), abs=0.1)
    assert drawn["answer_rate"].count("<circle") == len(digest.summary.answer_rate_per_day)
    yearly = charts(build(service, 365))
    assert len(bar_heights(yearly["questions"])) in (53, 54)  # a year is charted by week


def test_html_report_shows_everything_and_escapes_member_text(service: AnswerService) -> None:
    seed_digest_log(service)
    html = render_html(build(service, 30))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert html.count('<tr class="gap">') == 3 and all(q in html for q in PARKING)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert "Mark as handled" not in html and html.count("<details open>") == 3  # read-only, examples shown
    contributors = html[html.index('id="contributors"'):]
    assert "Test Author" in contributors and '<td class="num">2</td>' in contributors  # 2 helpful answers cited them


def test_markdown_report_escapes_text_and_writes_its_charts(service: AnswerService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seed_digest_log(service)
    written = write_markdown(build(service, 30), tmp_path / "digest.md")
    assert [p.name for p in written] == ["digest.md", "digest-questions.svg", "digest-answer-rate.svg"]
    text = written[0].read_text()
    assert "![Questions asked](digest-questions.svg)" in text
    assert markdown_text(HOSTILE) in text and "<script>" not in text
    gap_rows = [line for line in text.splitlines() if line.startswith("| ") and "before)" in line]
    assert len(gap_rows) == 3 and all(line.count(" | ") == 6 for line in gap_rows)  # a "|" in a question breaks no row
    assert written[1].read_text().startswith("<svg")


def test_handled_questions_leave_the_gap_list_until_the_topic_is_asked_again(service: AnswerService) -> None:
    ids = seed_digest_log(service)
    assert mark_handled(service, ids["parking"], "key1", "wrote the parking page") == 4
    assert mark_handled(service, ids["parking"][:1], "key1") == 0  # marking twice changes nothing
    assert not any("park" in t.label for t in topics(service))
    with pytest.raises(KeyError, match="no such question: nope"):
        mark_handled(service, ["nope", ids["canteen"][0]], "key1")
    assert len(next(t for t in topics(service) if "canteen" in t.label).query_ids) == 3  # nothing half-marked
    seed(service, "Where do visitors park their cars?", days_ago=0)
    [parking] = [t for t in topics(service) if "park" in t.label or "car" in t.label]
    assert parking.count == 1


def test_report_command_writes_html_and_markdown(service: AnswerService, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(service.settings.data_dir))
    seed_digest_log(service)
    runner = CliRunner()
    done = runner.invoke(app, ["report", "--since", "30d", "--out", str(tmp_path / "r.html")])
    assert done.exit_code == 0, done.output
    assert "10 questions, 3 gap topics" in done.stdout and '<tr class="gap">' in (tmp_path / "r.html").read_text()
    assert runner.invoke(app, ["report", "--out", str(tmp_path / "r.md")]).exit_code == 0
    assert (tmp_path / "r-questions.svg").exists()
    for bad in (["--out", str(tmp_path / "r.pdf")], ["--out", str(tmp_path / "r.md"), "--since", "soon"],
                ["--out", str(tmp_path / "missing" / "r.html")]):
        failed = runner.invoke(app, ["report", *bad])
        assert failed.exit_code == 2 and failed.output.count("\n") == 1
