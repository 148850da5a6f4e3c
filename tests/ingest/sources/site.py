"""A small intranet site served on loopback for the crawler tests: real HTTP, real conditional requests."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html><head><title>{title} | BrigidNet</title></head><body>
<header><a href="/">BrigidNet home</a> <a href="/guide">Guides menu</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/guide">BrigidLab guide</a></li></ul></nav>
<main>{body}</main>
<footer>St. Brigid's intranet footer - copyright notice</footer>
</body></html>"""


def page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode()


def pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for i, line in enumerate(text.splitlines()):
        sheet.drawString(72, 760 - 16 * i, line)
    sheet.save()
    return buffer.getvalue()


@dataclass
class Site:
    """Path -> (status, content type, body); `requests` counts what was asked, `not_modified` the 304s."""

    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)
    endless: set[str] = field(default_factory=set)
    last_modified: str | None = None  # set: send Last-Modified instead of an ETag
    url: str = ""


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            path = self.path
            site.requests[path] += 1
            if path in site.redirects:
                self.send_response(301)
                self.send_header("Location", site.redirects[path])
                self.end_headers()
                return
            if path in site.endless:
                self._endless()
                return
            status, content_type, body = site.pages.get(path, (404, "text/html", b"<h1>Not found</h1>"))
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            validator = ("If-Modified-Since", site.last_modified) if site.last_modified else ("If-None-Match", etag)
            if status == 200 and self.headers.get(validator[0]) == validator[1]:
                site.not_modified[path] += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header(*(("Last-Modified", site.last_modified) if site.last_modified else ("ETag", etag)))
            self.end_headers()
            self.wfile.write(body)

        def _endless(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                self.wfile.write(b"<html><body><main>")
                while True:
                    self.wfile.write(b"<p>and on and on</p>" * 1000)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
