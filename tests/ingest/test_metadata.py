"""Metadata precedence, validation and visibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerassist.ingest.metadata import (
    DocumentMeta,
    MetadataError,
    resolve_metadata,
    split_front_matter,
)


def test_precedence_folder_then_inner_folder_then_front_matter_then_sidecar(tmp_path: Path) -> None:
    (tmp_path / "_meta.yaml").write_text("author: Outer\ntags: [outer]\naudience: members\nlicence: CC-BY\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "_meta.yaml").write_text("tags: [inner]\n")
    doc = inner / "report.pdf"
    doc.write_bytes(b"%PDF-")
    (inner / "report.pdf.meta.yaml").write_text("title: From sidecar\ndate: 2026-03-01\n")

    meta = resolve_metadata(doc, {"title": "From front-matter", "owner": "Ops"})

    assert meta.title == "From sidecar"
    assert meta.author == "Outer"
    assert meta.tags == ["inner"]
    assert meta.date == "2026-03-01"
    record = meta.as_record()
    assert record["licence"] == "CC-BY" and record["owner"] == "Ops", "unknown keys must be kept"
    assert record["visibility"] == "member"


def test_sidecar_without_the_extension_is_found(tmp_path: Path) -> None:
    doc = tmp_path / "slides.pptx"
    doc.write_bytes(b"PK")
    (tmp_path / "slides.meta.yaml").write_text("title: Slides\n")
    assert resolve_metadata(doc).title == "Slides"


@pytest.mark.parametrize(
    ("audience", "visibility"),
    [
        ([], "member"),
        (["members"], "member"),
        (["facilitators"], "facilitator"),
        (["Facilitator", "admins"], "facilitator"),
        (["admins"], "admin"),
        (["facilitators", "newcomers"], "member"),
        (["members", "clinicians"], "member"),
        (["facilitator-only"], "facilitator"),  # unknown: fails closed
        (["clinicians", "admins"], "facilitator"),  # the unknown label is the lower restriction
    ],
)
def test_visibility_is_public_only_with_a_public_label(audience, visibility) -> None:  # type: ignore[no-untyped-def]
    assert DocumentMeta(audience=audience).visibility == visibility


def test_unknown_labels_that_decide_visibility_are_named() -> None:
    assert DocumentMeta(audience=["facilitator-only"]).unknown_audiences == ["facilitator-only"]
    assert DocumentMeta(audience=["members", "clinicians"]).unknown_audiences == []


def test_tags_accept_a_comma_string_and_are_normalised() -> None:
    assert DocumentMeta.model_validate({"tags": "Onboarding, FAQ ,"}).tags == ["onboarding", "faq"]


def test_front_matter_split_and_errors(tmp_path: Path) -> None:
    front, body = split_front_matter("---\ntitle: A\n---\n# A\n", tmp_path / "a.md")
    assert front == {"title": "A"} and body == "# A\n"
    assert split_front_matter("# No front matter\n", tmp_path / "b.md") == ({}, "# No front matter\n")
    with pytest.raises(MetadataError, match=r"malformed YAML in front-matter of .*c\.md at line 2"):
        split_front_matter("---\ntitle: [a\n---\n", tmp_path / "c.md")
    with pytest.raises(MetadataError, match="expected key: value pairs"):
        split_front_matter("---\n- a list\n---\nbody", tmp_path / "d.md")
