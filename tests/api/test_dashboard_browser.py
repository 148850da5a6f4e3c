"""The facilitator dashboard and the HTML report in real headless Chromium, against `peerassist serve`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.api.conftest import CHROMIUM, OUTPUT, build_api, require_chromium, serve
from tests.conftest import VENV_BIN
from tests.insights.conftest import PARKING, seed_digest_log


@pytest.fixture
def server(embedded_settings, kb) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    require_chromium()
    api = build_api(embedded_settings, kb)
    seed_digest_log(api.client.app.state.service)  # type: ignore[attr-defined]
    with serve(embedded_settings) as url:
        yield url, api.keys["facilitator"]


def test_dashboard_shows_gaps_and_charts_and_marks_a_topic_handled(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, key = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/dashboard")
        page.get_by_label("Facilitator API key").fill("not-a-key")
        page.get_by_role("button", name="Open dashboard").click()
        expect(page.get_by_role("status")).to_have_text("unknown or revoked API key")

        page.get_by_label("Facilitator API key").fill(key)
        page.get_by_role("button", name="Open dashboard").click()
        gaps = page.locator("table#gaps tr.gap")
        expect(gaps).to_have_count(3, timeout=60_000)
        expect(page.get_by_role("img", name="Questions per day")).to_be_visible()
        expect(page.get_by_role("img", name="Answer rate per day")).to_be_visible()
        expect(page.locator("svg.chart rect.bar")).to_have_count(30)
        parking = gaps.filter(has_text="park")
        parking.locator("summary").click()  # drill down to the example questions
        expect(parking.get_by_text(PARKING[0])).to_be_visible()
        parking.get_by_role("button", name=f"Review: {PARKING[0]}").click()  # conversation review
        review = page.get_by_role("dialog", name="Conversation review")
        expect(review).to_be_visible()
        expect(review.locator("section.current")).to_contain_text(f"Q: {PARKING[0]}")
        expect(review.locator("section.current")).to_contain_text("Not answered")
        page.screenshot(path=str(OUTPUT / "dashboard-review.png"))
        review.get_by_role("button", name="Close").click()
        assert page.evaluate("window.__xss") is None  # the hostile question stayed text
        expect(page.locator("table#gaps")).to_contain_text("<script>window.__xss=1</script>")
        expect(page.locator("#most-cited")).to_contain_text("Charter")
        expect(page.locator("#contributors")).to_contain_text("Test Author")
        page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)

        parking.get_by_role("button", name="Mark as handled").click()
        expect(page.get_by_role("status")).to_contain_text("as handled")
        expect(gaps).to_have_count(2)
        page.get_by_role("status").get_by_role("button", name="Undo").click()
        expect(page.get_by_role("status")).to_contain_text("back on the list")
        expect(gaps).to_have_count(3)
        parking.get_by_role("button", name="Mark as handled").click()
        expect(gaps).to_have_count(2)
        expect(page.locator("table#gaps")).not_to_contain_text(PARKING[0])
        page.reload()  # the key stays for the tab; the handled topic stays gone
        expect(gaps).to_have_count(2, timeout=60_000)
        page.get_by_label("Period").select_option("7d")
        expect(page.locator("svg.chart rect.bar")).to_have_count(7)
        expect(page.locator(".period")).to_contain_text("last 7 days")
        page.screenshot(path=str(OUTPUT / "dashboard-handled.png"), full_page=True)
        browser.close()


def test_html_report_opens_in_the_browser(server: tuple[str, str], embedded_settings) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    out = OUTPUT / "report.html"
    subprocess.run([str(VENV_BIN / "peerassist"), "report", "--since", "30d", "--out", str(out)], check=True,
                   env=os.environ | {"PEERASSIST_DATA_DIR": str(embedded_settings.data_dir)})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(out.as_uri())
        expect(page.locator("table#gaps tr.gap")).to_have_count(3)
        expect(page.get_by_role("img", name="Answer rate per day")).to_be_visible()
        assert page.evaluate("window.__xss") is None
        page.screenshot(path=str(OUTPUT / "report.png"), full_page=True)
        browser.close()
