"""An intranet or wiki site, crawled politely: same site only, robots.txt honoured, re-crawls cheap.

From a start page (or a sitemap.xml) the crawl follows links on the same host (plus listed
prefixes) breadth first, within depth and page limits. Pages are kept as HTML and parsed
by the ingestion path like any HTML file (unstructured's partitioner drops navigation,
headers and footers); linked PDFs and documents are fetched and parsed like files. Each
page remembers its ETag, Last-Modified and links, so an unchanged page costs one
conditional request and nothing is re-embedded. A page that fails for now (a 500, a
timeout, over the size cap) keeps its last good copy; one that is gone (404, 410) is pruned.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import SplitResult, urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from lxml import etree
from lxml import html as lxml_html

from peerassist.ingest.parsing import SUPPORTED_SUFFIXES
from peerassist.ingest.sources.config import WebOptions
from peerassist.ingest.sources.mirror import SourceDocument, SourceFailed, Staging, slug

USER_AGENT = "PeerAssist-sync/1.0"
MAX_REDIRECTS = 5
MAX_SITEMAPS = 20
HTML_TYPES = {"text/html", "application/xhtml+xml"}
SUFFIX_FOR_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/csv": ".csv",
}
GONE = {404, 410}
# More than this share of the known pages unreached (not even a 404) fails the crawl instead of pruning them.
VANISHED_SHARE = 0.5
HEADINGS = "//h1|//h2|//h3|//h4|//h5|//h6"


class PageError(Exception):
    """One page could not be fetched; the crawl goes on."""


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes = b""


@dataclass
class CrawlCounts:
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class WebCrawler:
    """One crawl of one site into a staging folder; `state` is the previous crawl's, updated in place."""

    start: str
    options: WebOptions
    staging: Staging
    state: dict[str, dict[str, Any]]
    errors: list[dict[str, str]]
    counts: CrawlCounts = field(default_factory=CrawlCounts)
    gone: set[str] = field(default_factory=set)  # pages that answered 404/410: removed on purpose
    _robots: dict[str, RobotFileParser] = field(default_factory=dict)

    def crawl(self) -> None:
        with httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.options.timeout_s, follow_redirects=False) as client:
            self.client = client
            seeds = self._seeds()
            queue = deque((url, 0) for url in seeds)
            seen: set[str] = set(seeds)
            fresh: dict[str, dict[str, Any]] = {}
            while queue and len(fresh) < self.options.max_pages:
                url, depth = queue.popleft()
                if not self._in_scope(url):
                    continue  # a link remembered from an earlier crawl, before the scope was narrowed
                if not self._allowed(url):
                    self._skip(url, "disallowed by robots.txt")
                    continue
                record = self._page(url, first=url == self.start)
                if record is None:
                    continue
                fresh[url] = record
                if depth < self.options.max_depth:
                    for link in record.get("links", []):
                        if link not in seen:
                            seen.add(link)
                            queue.append((link, depth + 1))
        self._check_not_vanished(fresh)
        self.state.clear()
        self.state.update(fresh)

    def _check_not_vanished(self, fresh: dict[str, dict[str, Any]]) -> None:
        """Most known pages neither fetched, kept nor answered 404: a login page or a blocked robots.txt,
        not a site that deleted itself. Fail the source, keeping its last good documents."""
        known = set(self.state)
        if not fresh:
            raise SourceFailed(f"{self.start}: no page could be fetched; keeping the last good documents")
        reached = set(fresh) | self.gone
        missing = known - reached
        if known and len(missing) > VANISHED_SHARE * len(known):
            raise SourceFailed(
                f"{self.start}: {len(missing)} of {len(known)} known pages were not reached (a login page? robots.txt?); "
                "keeping the last good documents"
            )

    # --- one page ------------------------------------------------------------------------

    def _page(self, url: str, *, first: bool) -> dict[str, Any] | None:
        """Fetch one page into the staging folder; its new state record, or None if it is not kept."""
        previous = self.state.get(url, {})
        headers = {k: v for k, v in (("If-None-Match", previous.get("etag")), ("If-Modified-Since", previous.get("last_modified"))) if v}
        has_copy = bool(previous.get("name")) and self.staging.has_current(previous["name"])
        try:
            fetched = self._get(url, headers if has_copy else {})  # a 304 is only useful with the copy it refers to
        except PageError as exc:
            if first:
                raise SourceFailed(f"{url}: {exc}") from None
            return self._keep_previous(url, previous, str(exc))
        if fetched.status == 304 and self.staging.keep(previous["name"]):
            self.counts.not_modified += 1
            return previous
        if fetched.status in GONE:
            if first:
                raise SourceFailed(f"{url}: not found ({fetched.status})")
            self._skip(url, f"not found ({fetched.status}): removed from the source")
            self.gone.add(url)
            return None
        if fetched.status >= 400 or fetched.status == 304:
            if first:
                raise SourceFailed(f"{url}: the server answered {fetched.status}")
            return self._keep_previous(url, previous, f"the server answered {fetched.status}")
        content_type = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
        suffix = SUFFIX_FOR_TYPE.get(content_type) or _suffix_of(fetched.url)
        if suffix not in SUPPORTED_SUFFIXES:
            self._skip(url, f"not a document ({content_type or 'no content type'})")
            return None
        name = _file_name(fetched.url, suffix)
        meta: dict[str, Any] = {"url": fetched.url}
        links: list[str] = []
        if suffix == ".html":
            links, anchors = _links_and_anchors(fetched.body, fetched.url)
            links = [link for link in links if self._in_scope(link)]
            if anchors:
                meta["anchors"] = anchors
        self.staging.write(SourceDocument(name, fetched.body, meta))
        self.counts.fetched += 1
        return {
            "name": name,
            "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "links": links,
            "hash": hashlib.sha256(fetched.body).hexdigest(),
        }

    def _keep_previous(self, url: str, previous: dict[str, Any], reason: str) -> dict[str, Any] | None:
        kept = bool(previous.get("name")) and self.staging.keep(previous["name"])
        self.counts.failed += 1
        self.errors.append({"item": url, "error": f"{reason}; {'kept the last good copy' if kept else 'nothing kept'}", "kind": "failed"})
        return previous if kept else None

    def _skip(self, url: str, reason: str) -> None:
        self.counts.skipped += 1
        self.errors.append({"item": url, "error": reason, "kind": "skipped"})

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        """GET with redirects followed by hand (each hop must stay on the site), the body capped in size and time."""
        cap = int(self.options.max_page_mb * 1024 * 1024)
        for _ in range(MAX_REDIRECTS + 1):
            deadline = time.monotonic() + self.options.timeout_s
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.has_redirect_location:
                        target = urldefrag(urljoin(url, response.headers.get("location", "")))[0]
                        if not self._in_scope(target):
                            raise PageError(f"redirects off the site, to {target}")
                        url = target
                        continue
                    if response.status_code != 200:
                        return Fetched(url, response.status_code, response.headers)
                    body = bytearray()
                    for piece in response.iter_bytes():
                        body += piece
                        if len(body) > cap:
                            raise PageError(f"larger than the {self.options.max_page_mb:g} MB page cap")
                        if time.monotonic() > deadline:
                            raise PageError(f"still sending after {self.options.timeout_s:g} s")
                    return Fetched(url, 200, response.headers, bytes(body))
            except httpx.TimeoutException:
                raise PageError(f"timed out after {self.options.timeout_s:g} s") from None
            except httpx.HTTPError as exc:
                raise PageError(f"cannot connect ({type(exc).__name__}: {str(exc)[:120]})") from None
        raise PageError(f"more than {MAX_REDIRECTS} redirects")

    # --- scope ---------------------------------------------------------------------------

    def _seeds(self) -> list[str]:
        """The start page, or every page a sitemap (or sitemap index) lists."""
        if not urlsplit(self.start).path.endswith(".xml"):
            return [self.start]
        pages: list[str] = []
        sitemaps, done = deque([self.start]), 0
        while sitemaps and done < MAX_SITEMAPS:
            sitemap = sitemaps.popleft()
            done += 1
            try:
                fetched = self._get(sitemap, {})
                if fetched.status != 200:
                    raise PageError(f"the server answered {fetched.status}")
                root = etree.fromstring(fetched.body, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
            except (PageError, etree.XMLSyntaxError) as exc:
                if sitemap == self.start:
                    raise SourceFailed(f"sitemap {sitemap}: {exc}") from None
                self.errors.append({"item": sitemap, "error": str(exc), "kind": "failed"})
                continue
            locs = [urldefrag(str(loc).strip())[0] for loc in root.xpath("//*[local-name()='loc']/text()")]
            target = sitemaps if etree.QName(root).localname == "sitemapindex" else pages
            target.extend(loc for loc in locs if self._in_scope(loc))
        if not pages:
            raise SourceFailed(f"sitemap {self.start} lists no pages on the site")
        return list(dict.fromkeys(pages))

    def _in_scope(self, url: str) -> bool:
        parts, start = urlsplit(url), urlsplit(self.start)
        if parts.scheme not in ("http", "https"):
            return False
        same_site = (parts.scheme, parts.netloc) == (start.scheme, start.netloc)
        return same_site or any(_under_prefix(parts, urlsplit(prefix)) for prefix in self.options.prefixes)

    def _allowed(self, url: str) -> bool:
        """robots.txt of the URL's host allows us (a missing one allows everything)."""
        host = _host(url)
        if host not in self._robots:
            robots = RobotFileParser()
            try:
                fetched = self._get(f"{host}/robots.txt", {})
                if fetched.status >= 500:
                    robots.disallow_all = True
                elif fetched.status == 200:
                    robots.parse(fetched.body.decode("utf-8", "replace").splitlines())
                else:
                    robots.allow_all = True
            except PageError:
                robots.disallow_all = True  # unreachable: assume nothing is allowed (RFC 9309)
            if robots.disallow_all and host == _host(self.start):
                raise SourceFailed(f"{host}/robots.txt could not be read; keeping the last good documents")
            self._robots[host] = robots
        allowed = self._robots[host].can_fetch(USER_AGENT, url)
        if not allowed and url == self.start:
            raise SourceFailed(f"{url}: robots.txt does not allow it")
        return allowed


def _under_prefix(parts: SplitResult, prefix: SplitResult) -> bool:
    """Same scheme and host (port included), and the path within the prefix's: never a string prefix,
    which "https://docs.example.com.evil.net/" and "https://docs.example.com@evil.net/" would pass."""
    if (parts.scheme, parts.hostname, parts.port) != (prefix.scheme, prefix.hostname, prefix.port) or parts.username:
        return False
    base = prefix.path.rstrip("/")
    return parts.path == base or parts.path.startswith(base + "/")


def _links_and_anchors(body: bytes, url: str) -> tuple[list[str], dict[str, str]]:
    """The page's links (absolute, without fragments) and its headings' ids (heading text -> id)."""
    try:
        tree = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return [], {}
    links = [urldefrag(urljoin(url, href.strip()))[0] for href in tree.xpath("//a[@href]/@href")]
    anchors: dict[str, str] = {}
    for heading in tree.xpath(HEADINGS):
        anchor = heading.get("id") or next((a.get("id") or a.get("name") for a in heading.xpath(".//a[@id or @name]")), None)
        text = " ".join(heading.text_content().split())
        if anchor and text:
            anchors.setdefault(text, anchor)
    return list(dict.fromkeys(links)), anchors


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _suffix_of(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).suffix.lower()


def _file_name(url: str, suffix: str) -> str:
    """A readable, unique file name for a URL: host/path-slug-hash.suffix."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    stem = path.removesuffix(PurePosixPath(path).suffix) if path else "index"
    return f"{slug(parts.netloc)}/{slug(stem, 80)}-{hashlib.sha256(url.encode()).hexdigest()[:8]}{suffix}"
