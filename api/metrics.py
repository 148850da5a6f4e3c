"""Prometheus counters shared by the middleware and the routes (one registry per process)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter("peerassist_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("peerassist_request_seconds", "HTTP request latency", ["route"])
ANSWERS = Counter("peerassist_answers_total", "questions asked, by whether they were answered", ["answered"])
