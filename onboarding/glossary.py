"""The community's vocabulary, extracted from its documents, each entry with a citation.

Sources, strongest first: entries of glossary documents (a heading that names a term and
the sentence under it, or a "Term: meaning" line), defining sentences ("X is a ..."), and acronyms spelled out
("Data Protection Impact Assessment (DPIA)"). Entries for the same term are merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from peerassist.store import shown_source
from peerassist.store import StoredChunk
from peerassist.sentences import is_quotable, split_sentences
from peerassist.text import ACRONYM_FORM, quotable_text, spelled_out_acronyms

# "X is a/an ...": the form a definition takes ("X is the ..." is more often a plain statement).
DEFINING = re.compile(
    r"^(?:(?:An?|The)\s+)?(?P<term>[A-Za-z][\w'’-]*(?:\s+[\w'’()-]+){0,4}?)\s+(?:is|are|means|refers to)\s+an?\s+"
)
# A definition list line in a glossary document: "Term: what it means" or "Term — what it means".
DEFINITION_LIST = re.compile(r"^(?P<term>[A-Z][\w'’()/-]*(?:\s+[\w'’()/-]+){0,4})\s*(?::|—|–)\s+(?P<definition>[A-Za-z].{10,})$")
NOT_TERMS = frozenset("it if this that these those there we you they he she our your their".split())
FUNCTION_WORDS = frozenset("that which whether who whom or and states".split())
STRENGTH = {"glossary": 3, "definition": 2, "acronym": 1}


class GlossaryEntry(BaseModel):
    term: str
    definition: str
    doc_id: str
    title: str
    section: str
    chunk_id: str
    source: str
    kind: str  # glossary | definition | acronym
    overridden: bool = False  # a facilitator replaced the definition

    @property
    def key(self) -> str:
        return term_key(self.term)


def term_key(term: str) -> str:
    """Entries for 'DPIA', 'Data Protection Impact Assessment (DPIA)' and 'dpia' merge."""
    acronym = re.search(rf"\(({ACRONYM_FORM})\)\s*$", term)
    if acronym:
        short = acronym.group(1)
        return (short[:-1] if short.endswith("s") and short[:-1].isupper() else short).casefold()
    return term.casefold().strip()


def extract(chunks: Iterable[StoredChunk]) -> list[GlossaryEntry]:
    found: dict[str, GlossaryEntry] = {}

    def offer(entry: GlossaryEntry) -> None:
        current = found.get(entry.key)
        if current is None or STRENGTH[entry.kind] > STRENGTH[current.kind]:
            found[entry.key] = entry

    for chunk in chunks:
        meta = chunk.metadata
        tags = meta.get("tags") or []
        is_glossary = "glossary" in (tags if isinstance(tags, list) else [tags]) or "glossary" in str(meta.get("title", "")).lower()
        base = {
            "doc_id": str(meta.get("doc_id")), "title": str(meta.get("title", "")),
            "section": str(meta.get("section", "")), "chunk_id": chunk.id, "source": shown_source(str(meta.get("source", ""))),
        }
        sentences = [s for s in split_sentences(quotable_text(chunk.text, chunk.metadata)) if is_quotable(s)]
        heading = base["section"].split(" > ")[-1].strip()
        named = re.sub(r"\s*\([^)]*\)\s*$", "", heading).casefold()
        if is_glossary and sentences and named and named in sentences[0].casefold() and len(heading.split()) <= 8:
            offer(GlossaryEntry(term=heading, definition=sentences[0], kind="glossary", **base))
        for sentence in sentences:
            listed = DEFINITION_LIST.match(sentence)
            if is_glossary and listed:
                offer(GlossaryEntry(term=listed.group("term"), definition=listed.group("definition"), kind="glossary", **base))
                continue
            defined = DEFINING.match(sentence)
            if defined and _plausible_term(defined.group("term"), sentence) and not _names_a_person(defined.group("term"), sentence):
                term = defined.group("term").strip()
                offer(GlossaryEntry(term=term[:1].upper() + term[1:], definition=sentence, kind="definition", **base))
            for name, acronym in spelled_out_acronyms(sentence):
                # Spelled out is not defined: "ChestFlag went live for the Emergency Department (ED)" defines nothing.
                if _defines(sentence, name, acronym):
                    offer(GlossaryEntry(term=f"{name} ({acronym})", definition=sentence, kind="acronym", **base))
    return sorted(_merge_long_forms(found).values(), key=lambda e: e.term.casefold())


def _defines(sentence: str, long_form: str, acronym: str) -> bool:
    """The sentence is about the term: it opens with it (or "A/The" and it) and goes on to say what it is or does."""
    opening = rf"^(?:(?:An?|The)\s+)?(?:{re.escape(long_form)}(?:\s*\({re.escape(acronym)}\))?|{re.escape(acronym)})"
    return bool(re.match(opening + r",?\s+[a-z]", sentence))


def _names_a_person(term: str, sentence: str) -> bool:
    """'Niamh is a Senior Pharmacist' introduces a colleague, not a word of the community's vocabulary."""
    from peerassist.nlp import ENTITIES, annotate

    term = term.strip()
    return any(e.label_ == "PERSON" and (term in e.text or e.text in term) for e in annotate(sentence, ENTITIES).ents)


def _merge_long_forms(found: dict[str, GlossaryEntry]) -> dict[str, GlossaryEntry]:
    """'Model card (MC)' and 'Model card' are one entry: named with the acronym, defined by the stronger source."""
    for key, entry in list(found.items()):
        long_form = re.sub(r"\s*\([A-Z][A-Za-z0-9]{1,7}\)\s*$", "", entry.term)
        plain = found.get(long_form.casefold())
        if long_form == entry.term or plain is None or plain is entry:
            continue
        winner = entry if STRENGTH[entry.kind] >= STRENGTH[plain.kind] else plain
        winner.term = entry.term
        found[key] = winner
        del found[long_form.casefold()]
    return found


def _plausible_term(term: str, sentence: str) -> bool:
    """A name for a thing: short, no clause words, and (after "The") capitalised like a proper name."""
    words = term.split()
    if len(words) > 3 or words[0].casefold() in NOT_TERMS or FUNCTION_WORDS & {w.casefold() for w in words}:
        return False
    return not (sentence.startswith("The ") and term.islower())
