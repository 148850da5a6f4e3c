"""The community loop in real headless Chromium against `peerassist serve`: a member hands a question
off in the widget, a facilitator proposes and approves an answer on the dashboard, and the member
sees it on their next visit; asked again, it is answered from the new document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import CHROMIUM, OUTPUT, build_api, require_chromium, serve

QUESTION = "Where can I lock my bicycle when I cycle to the hospital?"


@pytest.fixture
def server(embedded_settings, kb) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    require_chromium()
    api = build_api(embedded_settings, kb)
    with serve(embedded_settings) as url:
        yield url, api.keys["facilitator"]


def test_hand_off_in_the_widget_approve_on_the_dashboard_and_see_it_next_visit(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, key = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        member = browser.new_context(viewport={"width": 390, "height": 800})
        widget = member.new_page()
        widget.goto(url)
        widget.locator(".pa-fab").click()
        widget.get_by_role("textbox", name="Your question").fill(QUESTION)
        widget.keyboard.press("Enter")
        refused = widget.locator(".pa-a").last
        expect(refused).to_have_class("pa-msg pa-a pa-notfound", timeout=60_000)
        refused.get_by_role("button", name="Ask the community").click()
        refused.get_by_label("Context for the people answering").fill("I start night shifts next week")
        expect(refused.get_by_label("How to tell you")).to_have_value("widget")
        refused.get_by_role("button", name="Send to the community").click()
        expect(refused.get_by_role("status")).to_contain_text("Sent to the community", timeout=30_000)
        widget.screenshot(path=str(OUTPUT / "community-hand-off.png"))

        facilitator = browser.new_page(viewport={"width": 1280, "height": 900})
        facilitator.goto(f"{url}/dashboard")
        facilitator.get_by_label("Facilitator API key").fill(key)
        facilitator.get_by_role("button", name="Open dashboard").click()
        queued = facilitator.locator("#open-questions li.open-question")
        expect(queued).to_have_count(1, timeout=60_000)
        expect(queued).to_contain_text(QUESTION)
        expect(queued).to_contain_text("Context: I start night shifts next week")
        queued.get_by_label("Your answer").fill("Use the covered bicycle cage behind the Education Centre; your staff card opens it.")
        queued.get_by_label("Your name").fill("Aoife Kelly")
        queued.get_by_role("button", name="Propose answer").click()
        expect(facilitator.get_by_role("status")).to_have_text("Answer proposed.", timeout=30_000)
        facilitator.locator("#open-questions").get_by_role("button", name="Approve the answer by Aoife Kelly").click()
        expect(facilitator.get_by_role("status")).to_contain_text("is now a document that answers it", timeout=60_000)
        expect(facilitator.locator("#open-questions li.open-question")).to_have_count(0)
        expect(facilitator.locator("#contributors")).to_contain_text("Aoife Kelly")
        facilitator.screenshot(path=str(OUTPUT / "community-approved-dashboard.png"), full_page=True)

        widget.reload()  # the member's next visit
        widget.locator(".pa-fab").click()
        notice = widget.locator(".pa-community")
        expect(notice).to_contain_text("The community answered your question", timeout=30_000)
        expect(notice).to_contain_text("bicycle cage behind the Education Centre")
        expect(notice).to_contain_text("Answered by Aoife Kelly")
        widget.screenshot(path=str(OUTPUT / "community-answer-next-visit.png"))
        widget.get_by_role("textbox", name="Your question").fill("Where do I lock my bike at the hospital?")
        widget.keyboard.press("Enter")
        answer = widget.locator(".pa-a").last
        expect(answer).to_contain_text("bicycle cage", timeout=60_000)
        expect(answer.locator(".pa-sources")).to_contain_text(QUESTION)

        widget.reload()  # seen once: not shown again
        widget.locator(".pa-fab").click()
        widget.wait_for_timeout(1500)
        expect(widget.locator(".pa-community")).to_have_count(0)
        browser.close()
