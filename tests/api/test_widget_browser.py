"""The widget in real headless Chromium (Debian's chromium, driven by Playwright) against `peerassist serve`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import CHROMIUM, OUTPUT, build_api, require_chromium, serve
from tests.conftest import write_md


@pytest.fixture
def server(embedded_settings, kb) -> Iterator[str]:  # type: ignore[no-untyped-def]
    require_chromium()
    write_md(kb / "laptops.md", "Borrowing laptops", "## How to borrow a loan laptop\n\nTo borrow one:\n\n"
             "1. Email the IT desk with your ward.\n2. Fill in the laptop loan form.\n3. Collect it from the desk on Level 2.")
    build_api(embedded_settings, kb)  # ingests the KB (with its XSS page) into the data dir
    with serve(embedded_settings) as url:
        yield url


def test_widget_streams_cites_votes_and_never_runs_document_markup(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 800})  # a phone-width screen
        page.goto(server)
        fab = page.get_by_role("button", name="Ask the community")
        fab.focus()
        page.keyboard.press("Enter")  # keyboard-accessible
        dialog = page.get_by_role("dialog", name="Peer Assist chat")
        expect(dialog).to_be_visible()

        page.get_by_role("textbox", name="Your question").fill("Which room do we meet in?")
        page.keyboard.press("Enter")
        answer = page.locator(".pa-a").last
        expect(answer).to_contain_text("Room 4B", timeout=60_000)
        expect(answer.get_by_role("button", name="Helpful", exact=True)).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUTPUT / "widget-answer.png"))

        answer.locator(".pa-cite").first.click()  # the [1] marker
        region = page.get_by_role("region", name="Cited document")
        expect(region.locator(".pa-hit")).to_contain_text("Room 4B")
        page.screenshot(path=str(OUTPUT / "widget-cited-passage.png"))
        region.get_by_role("button", name="Back to the conversation").click()

        helpful = answer.get_by_role("button", name="Helpful", exact=True)
        helpful.click()
        expect(helpful).to_have_attribute("aria-pressed", "true")

        page.get_by_role("textbox", name="Your question").fill("How can I get a loan laptop?")
        page.keyboard.press("Enter")
        steps = page.locator(".pa-a").last.locator("ol.pa-part > li")
        expect(steps).to_have_count(3, timeout=60_000)  # a procedure stays a numbered list
        expect(steps.first).to_contain_text("Email the IT desk")
        expect(steps.first.locator(".pa-cite")).to_have_count(1)

        page.get_by_role("textbox", name="Your question").fill("What was pasted into the minutes by mistake?")
        page.keyboard.press("Enter")
        unsafe = page.locator(".pa-a").last
        expect(unsafe).to_contain_text("<script>", timeout=60_000)  # shown as text ...
        unsafe.locator(".pa-cite").first.click()
        expect(page.get_by_role("region", name="Cited document")).to_contain_text("onerror")
        assert page.evaluate("window.__xss") is None  # ... and never executed
        assert page.locator(".pa-panel script, .pa-panel img").count() == 0

        page.get_by_role("button", name="Back to the conversation").click()
        page.get_by_role("textbox", name="Your question").fill("What is the best pizza topping in Naples?")
        page.keyboard.press("Enter")
        refused = page.locator(".pa-a").last
        expect(refused).to_have_class("pa-msg pa-a pa-notfound", timeout=60_000)
        expect(refused).to_contain_text("These might help")
        page.screenshot(path=str(OUTPUT / "widget-not-found.png"))
        browser.close()


def test_new_here_mode_shows_path_glossary_and_asks_a_starter_question(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(server)
        page.get_by_role("button", name="Ask the community").click()
        page.get_by_role("button", name="New here?").click()
        region = page.get_by_role("region", name="Cited document")
        expect(region.locator(".pa-path li").first).to_contain_text("Start Here", timeout=60_000)
        expect(region.locator(".pa-glossary dt").first).to_be_visible()
        region.get_by_role("searchbox", name="Search the glossary").fill("model card")
        expect(region.locator(".pa-glossary dt")).to_have_count(1)
        expect(region.locator(".pa-glossary dd")).to_contain_text("describes what a model does")
        page.screenshot(path=str(OUTPUT / "widget-onboarding.png"))
        starter = region.locator(".pa-starters button").first
        question = starter.inner_text()
        starter.click()
        expect(page.locator(".pa-q").last).to_have_text(question)
        expect(page.locator(".pa-a").last.get_by_role("button", name="Helpful", exact=True)).to_be_visible(timeout=60_000)
        assert "pa-notfound" not in (page.locator(".pa-a").last.get_attribute("class") or "")
        browser.close()
