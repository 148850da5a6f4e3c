"""The crawler against a real HTTP server on loopback, serving a small realistic intranet site."""

from __future__ import annotations

import pytest

from peerassist.retriever.service import AnswerService, AskOptions
from tests.ingest.sources.conftest import chunk_texts, documents
from tests.ingest.sources.site import Site, page, pdf, serving

INDEX = page("CoP home", """
<h1>AI in Clinical Practice CoP</h1>
<p>Welcome to the community's pages on BrigidNet. Start with the guides below.</p>
<ul>
<li><a href="/guide">BrigidLab access guide</a></li>
<li><a href="/old-meetings">Meeting schedule</a></li>
<li><a href="/private/minutes">Facilitator minutes</a></li>
<li><a href="/missing">An old page</a></li>
<li><a href="/files/procurement-checklist.pdf">Procurement checklist (PDF)</a></li>
<li><a href="/logo.png">Our logo</a></li>
<li><a href="/endless">The never-ending page</a></li>
<li><a href="http://elsewhere.example/page">A page on another site</a></li>
</ul>""")
GUIDE = page("BrigidLab guide", """
<h1>BrigidLab access guide</h1>
<p>BrigidLab is the hospital's sandbox for testing AI tools on de-identified data.</p>
<h2 id="access">Requesting access</h2>
<p>To get access to BrigidLab, email Marek Nowak with your project title and DPIA number.</p>
<p>Access is usually granted within five working days.</p>""")
MEETINGS = page("Meetings", """
<h1>Meeting schedule</h1>
<p>Community meetings are held on the second Tuesday of each month at 12:30 in the Education Centre.</p>""")
MINUTES = page("Minutes", "<h1>Facilitator minutes</h1><p>The secret budget for the next year is forty thousand euro.</p>")


def intranet() -> Site:
    site = Site()
    site.pages = {
        "/": (200, "text/html; charset=utf-8", INDEX),
        "/guide": (200, "text/html", GUIDE),
        "/meetings": (200, "text/html", MEETINGS),
        "/private/minutes": (200, "text/html", MINUTES),
        "/files/procurement-checklist.pdf": (200, "application/pdf", pdf(
            "AI procurement checklist\nEvery AI purchase needs a data processing agreement.\nAllow six to eight weeks for the Procurement Office."
        )),
        "/logo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n..."),
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/sitemap.xml": (200, "application/xml", b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>SITE/guide</loc></url><url><loc>SITE/meetings</loc></url><url><loc>http://elsewhere.example/x</loc></url>
</urlset>"""),
    }
    site.redirects = {"/old-meetings": "/meetings"}
    site.endless = {"/endless"}
    return site


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    with serving(intranet()) as running:
        sitemap = running.pages["/sitemap.xml"]
        running.pages["/sitemap.xml"] = (200, sitemap[1], sitemap[2].replace(b"SITE", running.url.encode()))
        yield running


def crawl(run_source, site: Site, location: str = "/", **web: object):  # type: ignore[no-untyped-def]
    return run_source(name="intranet", kind="web", location=site.url + location, tags=["intranet"], web={"max_page_mb": 1, **web})


def test_a_crawl_ingests_exactly_the_allowed_pages_and_cites_their_urls(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    run = crawl(run_source, site)

    assert run.ok, run.errors
    docs = documents(embedded_settings)
    urls = {meta["url"] for meta in docs.values()}
    assert urls == {site.url + p for p in ("/", "/guide", "/meetings", "/files/procurement-checklist.pdf")}
    assert site.requests["/private/minutes"] == 0  # robots.txt said no; never even asked
    problems = {e["item"].removeprefix(site.url): e["error"] for e in run.errors}
    assert problems["/private/minutes"] == "disallowed by robots.txt"
    assert problems["/missing"].startswith("not found (404)")
    assert problems["/logo.png"] == "not a document (image/png)"
    assert "larger than the 1 MB page cap" in problems["/endless"]
    assert run.counts["fetched"] == 4 and run.counts["added"] == 4
    assert all("intranet" in meta["tags"] for meta in docs.values())

    chunks = chunk_texts(embedded_settings)
    text = " ".join(t for t, _ in chunks)
    assert "intranet footer" not in text and "Guides menu" not in text  # navigation, header, footer dropped
    assert "six to eight weeks" in text  # the linked PDF, parsed like a file
    access = next(m for t, m in chunks if "email Marek Nowak" in t)
    assert access["source"] == f"{site.url}/guide#access"

    answer = AnswerService(embedded_settings, log_queries=False).ask("How do I get access to BrigidLab?", AskOptions())
    assert answer.answered and "email Marek Nowak" in answer.answer
    assert answer.citations[0].source == f"{site.url}/guide#access"


def test_a_recrawl_costs_one_request_per_unchanged_page_replaces_changes_and_prunes_removals(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    crawl(run_source, site)
    first = documents(embedded_settings)

    again = crawl(run_source, site)
    assert again.counts["not_modified"] == 4 and again.counts["fetched"] == 0
    assert (again.counts["unchanged"], again.counts["updated"], again.counts["added"]) == (4, 0, 0)
    assert all(site.requests[p] == 2 for p in ("/", "/guide", "/files/procurement-checklist.pdf"))
    assert documents(embedded_settings) == first  # nothing re-embedded: the same versions

    site.pages["/guide"] = (200, "text/html", GUIDE.replace(b"five working days", b"three working days"))
    del site.pages["/meetings"]
    changed = crawl(run_source, site)

    assert changed.ok, changed.errors
    assert (changed.counts["updated"], changed.counts["deleted"], changed.counts["unchanged"]) == (1, 1, 2)
    text = " ".join(t for t, _ in chunk_texts(embedded_settings))
    assert "three working days" in text and "five working days" not in text
    assert "second Tuesday" not in text


def test_a_page_failing_for_now_keeps_its_last_good_copy(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    crawl(run_source, site)
    site.pages["/guide"] = (500, "text/html", b"<h1>Internal Server Error</h1>")

    run = crawl(run_source, site)

    assert run.ok
    assert any(e["item"] == f"{site.url}/guide" and "answered 500; kept the last good copy" in e["error"] for e in run.errors)
    assert run.counts["deleted"] == 0
    assert any("email Marek Nowak" in t for t, _ in chunk_texts(embedded_settings))


def test_a_site_that_is_down_fails_the_source_and_keeps_its_documents(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    with serving(intranet()) as running:
        crawl(run_source, running)
        url = running.url
    good = documents(embedded_settings)

    run = run_source(name="intranet", kind="web", location=url + "/", web={"timeout_s": 2})

    assert not run.ok and run.errors[0]["kind"] == "source"
    assert documents(embedded_settings) == good


def test_a_sitemap_seeds_the_crawl_within_the_site(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    run = crawl(run_source, site, "/sitemap.xml", max_depth=0)

    assert run.ok, run.errors
    assert {meta["url"] for meta in documents(embedded_settings).values()} == {site.url + "/guide", site.url + "/meetings"}


def test_the_page_limit_and_last_modified(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    limited = crawl(run_source, site, max_pages=2)

    assert limited.ok and limited.counts["fetched"] == 2  # the start page and the first link, breadth first
    assert {m["url"] for m in documents(embedded_settings).values()} == {site.url + "/", site.url + "/guide"}


def test_a_server_without_etags_is_asked_if_modified_since(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    from tests.ingest.sources.site import Site

    stamped = Site(pages={"/": (200, "text/html", MEETINGS), "/robots.txt": (404, "text/plain", b"")}, last_modified="Mon, 02 Mar 2026 09:00:00 GMT")
    with serving(stamped) as running:
        crawl(run_source, running)
        again = crawl(run_source, running)

    assert again.counts["not_modified"] == 1 and again.counts["unchanged"] == 1
    assert stamped.not_modified["/"] == 1


def test_a_login_page_or_an_unreadable_robots_txt_fails_the_source_instead_of_pruning_it(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    crawl(run_source, site)
    good = documents(embedded_settings)

    site.pages["/"] = (200, "text/html", b"<html><body><h1>Sign in to BrigidNet</h1><form>Username</form></body></html>")
    login = crawl(run_source, site)
    assert not login.ok and "known pages were not reached" in login.errors[0]["error"]
    assert documents(embedded_settings) == good

    site.pages["/"] = (200, "text/html; charset=utf-8", INDEX)
    site.pages["/robots.txt"] = (503, "text/plain", b"busy")
    blocked = crawl(run_source, site)
    assert not blocked.ok and "robots.txt could not be read" in blocked.errors[0]["error"]
    assert documents(embedded_settings) == good


def test_a_lost_source_folder_is_fetched_again_not_answered_with_304s(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    import shutil

    crawl(run_source, site)
    shutil.rmtree(embedded_settings.sources_dir / "intranet")  # a restore without it, a manual delete

    again = crawl(run_source, site)

    assert again.ok, again.errors
    assert again.counts["fetched"] == 4 and again.counts["not_modified"] == 0
    assert len(documents(embedded_settings)) == 4


def test_a_stale_sitemap_entry_is_skipped_not_fatal(run_source, embedded_settings, site):  # type: ignore[no-untyped-def]
    site.pages["/sitemap.xml"] = (200, "application/xml", f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site.url}/old-page</loc></url>
<url><loc>{site.url}/guide</loc></url></urlset>""".encode())

    run = crawl(run_source, site, "/sitemap.xml", max_depth=0)

    assert run.ok, run.errors
    assert {meta["url"] for meta in documents(embedded_settings).values()} == {site.url + "/guide"}


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        ("https://docs.example.com/cop/page", True),
        ("https://docs.example.com/cop", True),
        ("https://docs.example.com/copycat/page", False),
        ("https://docs.example.com.evil.net/cop/page", False),
        ("https://docs.example.com@evil.net/cop/page", False),
        ("http://docs.example.com/cop/page", False),
        ("https://docs.example.com:8443/cop/page", False),
    ],
)
def test_listed_prefixes_are_compared_by_host_and_path_not_as_strings(url: str, inside: bool) -> None:
    from urllib.parse import urlsplit

    from peerassist.ingest.sources.web import _under_prefix

    assert _under_prefix(urlsplit(url), urlsplit("https://docs.example.com/cop/")) is inside
