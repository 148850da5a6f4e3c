"""Files to unstructured elements, with each element's section path.

Every format goes through unstructured, except PDF pages, which pypdf reads (unstructured's
PDF path imports a layout stack that breaks against CPU torch; see ../shared/STACK.md) and
whose lines `pdf_layout` reads back into headings, list items and paragraphs, page by page,
so page numbers are exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from peerassist.ingest.metadata import MetadataError, split_front_matter
from peerassist.ingest.pdf_layout import document_blocks
from peerassist.nlp import ENGLISH_MODEL
from peerassist.text import sentences_of

# Per-element language detection (langdetect) was 80 % of parse time and nothing reads it.
LANGUAGES = ["eng"]


class ParseError(ValueError):
    """The file cannot be turned into text; the message says why, in words for a person."""


@dataclass
class ParsedDocument:
    elements: list[Any]  # unstructured Elements, each with metadata.section set
    front_matter: dict[str, Any]


def use_packaged_spacy_model() -> None:
    """unstructured downloads spaCy's en_core_web_sm on first use; point it at the packaged copy.

    This sets a private attribute of a pinned unstructured; tests/ingest/test_parsing.py fails
    if the attribute disappears or partitioning tries the network.
    """
    import unstructured.nlp.tokenize as tokenize

    if not hasattr(tokenize, "_SPACY_MODEL_NAME"):
        raise RuntimeError("unstructured.nlp.tokenize._SPACY_MODEL_NAME is gone: re-check the offline spaCy fix")
    tokenize._SPACY_MODEL_NAME = ENGLISH_MODEL
    _count_sentences_cheaply_first()


def _sentences_of_at_least(text: str, min_words: int, remove_punctuation: Callable[[str], str]) -> int:
    """How many pieces between clear sentence breaks have `min_words` words (unstructured's count)."""
    return sum(1 for piece in sentences_of(text) if sum(1 for t in remove_punctuation(piece).split() if t != ".") >= min_words)


def _count_sentences_cheaply_first() -> None:
    """unstructured asks spaCy (tagger and parser over the whole text) how many sentences each
    paragraph has, only to learn whether it has more than one: that was most of a Markdown file's
    parse time. A paragraph that a clear sentence break (not after an abbreviation, an initial or a
    dotted acronym) cuts into two or more pieces of `min_length` words each is answered without
    spaCy; any other still goes to spaCy.

    This wraps a function of a pinned unstructured; tests/ingest/test_parsing.py checks that the
    sample knowledge base parses exactly as with spaCy alone."""
    import unstructured.partition.text_type as text_type

    spacy_count = text_type.sentence_count
    if getattr(spacy_count, "counts_cheaply_first", False):
        return

    def sentence_count(text: str, min_length: int | None = None) -> int:
        cheap = _sentences_of_at_least(text, min_length or 1, text_type.remove_punctuation)
        return cheap if cheap > 1 else spacy_count(text, min_length)

    sentence_count.counts_cheaply_first = True  # type: ignore[attr-defined]
    sentence_count.spacy_count = spacy_count  # type: ignore[attr-defined]
    text_type.sentence_count = sentence_count


def parse_file(path: Path, data: bytes) -> ParsedDocument:
    suffix = path.suffix.lower()
    parser = PARSERS.get(suffix)
    if parser is None:
        raise ParseError(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(sorted(PARSERS))})")
    _check_content_matches_type(suffix, data)
    use_packaged_spacy_model()
    try:
        front_matter, elements = parser(path, data)
    except (ParseError, MetadataError):
        raise
    except Exception as exc:  # a corrupt file can fail anywhere inside a parser
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        first_line = re.sub(r":? ?<[^>]* object at 0x[0-9a-f]+>", "", first_line)
        raise ParseError(f"could not parse {suffix[1:].upper()}: {first_line[:200]}") from None
    elements = [e for e in elements if (e.text or "").strip()]
    if not elements:
        raise ParseError("no text found in the file")
    _render_tables_as_rows(elements)
    _assign_sections(elements)
    return ParsedDocument(elements=elements, front_matter=front_matter)


# --- content checks ------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
BINARY_SUFFIXES = {".pdf": PDF_MAGIC, ".docx": ZIP_MAGIC, ".pptx": ZIP_MAGIC}


def _check_content_matches_type(suffix: str, data: bytes) -> None:
    if not data.strip():
        raise ParseError("empty file")
    magic = BINARY_SUFFIXES.get(suffix)
    if magic is not None:
        if not data.startswith(magic):
            raise ParseError(f"not a real {suffix[1:].upper()} file (content does not start like one)")
    elif b"\x00" in data[:8192]:
        raise ParseError(f"binary content in a {suffix} file")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- one parser per format: (path, bytes) -> (front-matter, elements) -------------------------

Parser = Callable[[Path, bytes], tuple[dict[str, Any], list[Any]]]


def _parse_markdown(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    from unstructured.partition.md import partition_md

    front_matter, body = split_front_matter(_decode(data), path)
    if not body.strip():
        raise ParseError("no text found after the front-matter")
    elements = partition_md(text=body, metadata_filename=path.name, languages=LANGUAGES)
    _number_ordered_items(elements, body)
    return front_matter, elements


ORDERED_ITEM = re.compile(r"^\s*(\d+)[.)]\s+(.+)$", re.MULTILINE)
MARKDOWN_EMPHASIS = re.compile(r"[*_`]+")


def _number_ordered_items(elements: list[Any], markdown: str) -> None:
    """Give the items of a numbered Markdown list their numbers back ("1. ..."): unstructured drops them,
    and a procedure's steps read as steps only when numbered."""
    numbers = {_item_key(text): number for number, text in ORDERED_ITEM.findall(markdown)}
    for element in elements:
        if type(element).__name__ == "ListItem" and (number := numbers.get(_item_key(element.text))):
            element.text = f"{number}. {element.text}"


def _item_key(text: str) -> str:
    return " ".join(MARKDOWN_EMPHASIS.sub("", text).casefold().split())[:60]


def _parse_text(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    """Plain text; headings set off by rule lines ("-----", "=====") become sections, the rules are dropped."""
    from unstructured.documents.elements import ElementMetadata, Title
    from unstructured.partition.text import partition_text

    elements: list[Any] = []
    for heading, depth, body in ruled_sections(_decode(data)):
        if heading:
            elements.append(Title(text=heading, metadata=ElementMetadata(filename=path.name, category_depth=depth)))
        body = laid_out_rows_as_items(body)
        if body.strip():
            with _paragraphs_analysed_together(body):
                parsed = partition_text(text=body, metadata_filename=path.name, languages=LANGUAGES)
            elements.extend(_statements_as_text(parsed))
    return {}, elements


# A short line unstructured takes for a title that states something: "Questions: Hannah Byrne, Education
# and Training Working Group lead, or aicop@stbrigids.ie.", "Next meeting: Tuesday 10 March 2026, 12:30."
STATES_SOMETHING = re.compile(r"^[^:]{1,40}:\s+\S.*[.!]$|[\w.+-]+@[\w-]+\.\w|https?://")


def _statements_as_text(elements: list[Any]) -> list[Any]:
    """A plain-text "title" that states something stays text: as a heading it was never quoted."""
    from unstructured.documents.elements import NarrativeText, Title

    return [
        NarrativeText(text=e.text, metadata=e.metadata) if isinstance(e, Title) and STATES_SOMETHING.search(e.text) else e
        for e in elements
    ]


@contextmanager
def _paragraphs_analysed_together(body: str) -> Iterator[None]:
    """partition_text runs spaCy (tagger and parser) on one paragraph at a time to tell titles from
    narrative text: 5.7 s of a 200 KB file's 11.4 s. The same paragraphs, split as it splits them and
    run through `nlp.pipe` in batches first, are handed to it ready; a paragraph not prepared (its
    splitting changed) is still analysed alone, so results never differ, only time.
    """
    import unstructured.nlp.tokenize as tokenize
    from unstructured.cleaners.core import auto_paragraph_grouper
    from unstructured.partition.text import _split_by_paragraph

    paragraphs = list(dict.fromkeys(p.strip() for p in _split_by_paragraph(auto_paragraph_grouper(body)) if p.strip()))
    if len(paragraphs) < PIPE_MIN_PARAGRAPHS:
        yield
        return
    nlp = tokenize._get_nlp()
    ready = dict(zip(paragraphs, nlp.pipe(paragraphs, batch_size=256), strict=True))
    alone = tokenize._run_pipeline
    tokenize._run_pipeline = lambda text: ready.pop(text, None) or alone(text)
    try:
        yield
    finally:
        tokenize._run_pipeline = alone


PIPE_MIN_PARAGRAPHS = 16  # below this, batching saves less than it costs

# A row of a laid-out block of plain text: a first column set off by two or more spaces ("Date:        Tuesday
# 10 February 2026", "A1  Write the lessons-learned report - Dr. Felix Adeyemi", "Mon 18 May  Automation
# bias") or a dotted number ("1.2 The DPIA was signed off ...").
# (A first column never ends a sentence: "The pilot ended.  Results follow" is prose typed with two spaces.)
LAID_OUT_ROW = re.compile(r"^ *(?:(?P<first>[^\s.!?](?:.{0,38}?[^\s.!?])?) {2,}(?P<rest>\S.*)|(?P<number>\d+(?:\.\d+)+) +(?P<text>\S.*))$")
# A line that ends on one of these runs on into the next ("approved by the" / "Oversight Committee").
RUNS_ON = re.compile(r"\b(?:the|a|an|of|by|to|for|with|and|or|from|at|on|in|our|their|its)$", re.IGNORECASE)
BULLET_LINE = re.compile(r"^\s*(?:[-*•▪‣◦]|\d+[.)])\s")
BLANK_LINES = re.compile(r"(\n[ \t]*\n)")
COLUMN_GAP = re.compile(r" {2,}")


def laid_out_rows_as_items(body: str) -> str:
    """Each block of rows (see LAID_OUT_ROW) that start at one indentation, each continued only by
    deeper-indented lines, as list items: unstructured reads such a block as one paragraph ("Date: ...
    Time: ... Chair: ..."), so a schedule, a meeting's header or its actions lost their rows."""
    return "".join(_block_as_items(block) for block in BLANK_LINES.split(body.expandtabs(8)))


def _block_as_items(block: str) -> str:
    rows: list[list[str]] = []
    row_indent = -1
    for line in block.split("\n"):
        line = line.rstrip()
        if not line:
            continue
        indent = len(line) - len(line.lstrip(" "))
        found = None if BULLET_LINE.match(line) else LAID_OUT_ROW.match(line)
        if found and (not rows or indent == row_indent):
            row_indent = indent
            rows.append([_row_text(found)])
        elif rows and indent > row_indent:
            rows[-1].append(line.strip())
        else:
            return block  # prose, a list unstructured already reads, or a row out of line
    if len(rows) < 2:
        return block
    return "\n".join(f"- {_continued(parts)}" for parts in rows) + "\n" * block[len(block.rstrip()) :].count("\n")


def _row_text(row: re.Match[str]) -> str:
    if row.group("number"):
        return f"{row.group('number')} {row.group('text')}"
    first, rest = row.group("first"), COLUMN_GAP.sub(" — ", row.group("rest"))
    return f"{first} {rest}" if first.endswith(":") else f"{first} — {rest}"


def _continued(parts: list[str]) -> str:
    """A row and its continuation lines: a new field ("... in 2026" over "Dr. Amara Okafor") after a
    dash, wrapped text ("... significant" over "errors in 9 notes") after a space."""
    text = parts[0]
    for part in parts[1:]:
        new_field = text[-1:].isalnum() and part[:1].isupper() and not RUNS_ON.search(text)
        text = f"{text} — {part}" if new_field else f"{text} {part}"
    return text

RULE_LINE = re.compile(r"^\s*([-=_~*#])\1{3,}\s*$")
# A heading a rule underlines or encloses is short: a longer block above a rule is a paragraph.
MAX_RULED_HEADING_LINES = 2
MAX_RULED_HEADING_CHARS = 120


def ruled_sections(text: str) -> list[tuple[str | None, int, str]]:
    """(heading, depth, body) pieces of a text whose headings are underlined or enclosed by rule lines.

    "=====" under a heading makes a top-level section, "-----" a second-level one; a rule
    that underlines nothing (the opening rule of an enclosed heading, a separator) is dropped.
    """
    pieces: list[tuple[str | None, int, str]] = []
    heading: str | None = None
    depth = 0
    body: list[str] = []
    for line in text.splitlines():
        rule = RULE_LINE.match(line)
        if not rule:
            body.append(line)
            continue
        block: list[str] = []
        for previous in reversed(body):
            if not previous.strip():
                break
            block.insert(0, previous.strip())
        title = " ".join(block)
        if block and len(block) <= MAX_RULED_HEADING_LINES and len(title) <= MAX_RULED_HEADING_CHARS:
            pieces.append((heading, depth, "\n".join(body[: len(body) - len(block)])))
            heading, depth, body = title, 0 if rule.group(1) == "=" else 1, []
    pieces.append((heading, depth, "\n".join(body)))
    return [piece for piece in pieces if piece[0] or piece[2].strip()]


def _parse_html(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    from unstructured.partition.html import partition_html

    return {}, partition_html(text=_decode(data), metadata_filename=path.name, languages=LANGUAGES)


def _parse_docx(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    from unstructured.partition.docx import partition_docx

    return {}, partition_docx(file=io.BytesIO(data), metadata_filename=path.name, languages=LANGUAGES)


def _parse_pptx(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    from unstructured.partition.pptx import partition_pptx

    return {}, partition_pptx(file=io.BytesIO(data), metadata_filename=path.name, languages=LANGUAGES)


def _parse_csv(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    """One element per row, 'Column: value; ...', so each row is retrievable on its own."""
    from unstructured.documents.elements import ElementMetadata, Table, Title

    rows = list(csv.reader(io.StringIO(_decode(data))))
    if len(rows) < 2:
        raise ParseError("a CSV needs a header row and at least one data row")
    header, *body = rows
    elements: list[Any] = [Title(text=path.stem.replace("-", " ").replace("_", " ").capitalize())]
    for row in body:
        text = table_row([h.strip() for h in header], [v.strip() for v in row])
        if text:
            elements.append(Table(text=text, metadata=ElementMetadata(filename=path.name)))
    return {}, elements


def _parse_pdf(path: Path, data: bytes) -> tuple[dict[str, Any], list[Any]]:
    """pypdf's text of each page, read back into headings, list items and paragraphs (`pdf_layout`)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from unstructured.documents.elements import ElementMetadata, ListItem, NarrativeText, Title

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ParseError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ParseError(f"corrupt PDF: {exc}") from None
    if not any(page.strip() for page in pages):
        raise ParseError("the PDF has no extractable text (scanned images are not supported)")
    kinds = {"heading": Title, "item": ListItem, "text": NarrativeText}
    return {}, [
        kinds[block.kind](
            text=block.text if block.number is None else f"{block.number}. {block.text}",
            metadata=ElementMetadata(
                filename=path.name, page_number=block.page, category_depth=block.depth if block.kind == "heading" else None
            ),
        )
        for block in document_blocks(pages)
    ]


PARSERS: dict[str, Parser] = {
    ".md": _parse_markdown,
    ".markdown": _parse_markdown,
    ".txt": _parse_text,
    ".text": _parse_text,
    ".html": _parse_html,
    ".htm": _parse_html,
    ".docx": _parse_docx,
    ".pptx": _parse_pptx,
    ".csv": _parse_csv,
    ".pdf": _parse_pdf,
}
SUPPORTED_SUFFIXES = frozenset(PARSERS)


# --- structure -------------------------------------------------------------------------------


def _assign_sections(elements: list[Any]) -> None:
    """Give every element the path of headings above it, e.g. 'Onboarding guide > First week'."""
    stack: list[tuple[int, str]] = []
    for element in elements:
        if type(element).__name__ == "Title":
            depth = element.metadata.category_depth or 0
            while stack and stack[-1][0] >= depth:
                stack.pop()
            stack.append((depth, " ".join(element.text.split())))
        element.metadata.section = " > ".join(title for _, title in stack)


def table_row(header: list[str], row: list[str]) -> str:
    """'Header: value; ...', the empty cells left out, a cell that is a date written year first read as a
    member says it ("2026-06-18": "Thursday 18 June 2026"), so "What training is on in June?" finds the row."""
    return "; ".join(f"{h}: {_readable(v)}" if h else _readable(v) for h, v in zip(header, row, strict=False) if v)


ISO_DATE_CELL = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _readable(cell: str) -> str:
    if not (found := ISO_DATE_CELL.fullmatch(cell)):
        return cell
    try:
        day = date(*map(int, found.groups()))
    except ValueError:  # not a date ("2026-13-40")
        return cell
    return f"{day:%A} {day.day} {day:%B %Y}"


def _render_tables_as_rows(elements: list[Any]) -> None:
    """'Header: value; ...' per row instead of unstructured's run-together cell text."""
    from lxml import html as lxml_html

    for element in elements:
        markup = getattr(element.metadata, "text_as_html", None)
        if type(element).__name__ != "Table" or not markup:
            continue
        rows = [
            [" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
            for tr in lxml_html.fromstring(markup).xpath("//tr")
        ]
        if len(rows) < 2:
            continue
        header, *body = rows
        lines = [table_row(header, row) for row in body]
        element.text = "\n".join(line for line in lines if line)
        # Without its HTML the chunker splits a long table by these rows, instead of re-deriving
        # the run-together cell text from the markup.
        element.metadata.text_as_html = None
