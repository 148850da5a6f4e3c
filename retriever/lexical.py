"""Lexical (BM25) retrieval over the same live chunks that Chroma holds.

Chroma has no keyword search, so a bm25s index is built from the live chunks. It is keyed by
the index's stored version, which every committed ingest, update and deletion bumps: a
process that finds another version than the one it loaded rebuilds (or loads the copy a
sibling process already saved under `data_dir/lexical/`), so it never serves stale chunks.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from peerassist.text import heading_path, quotable_text, spelled_out_acronyms, without_accents
from peerassist.embeddings import EmbeddingModel
from peerassist.nlp import remember_subjects, subjects_of
from peerassist.store import GET_PAGE, Generation, SearchHit, StoredChunk
from peerassist.terms import bm25s_module, content_terms, tokenize
from peerassist.retriever.answer_type import (
    PUBLIC_CHATBOTS,
    NOT_A_NAME,
    defines,
    describes,
    document_references,
    is_a_part,
    keyed_by,
    remember_bodies,
    remember_entities,
    sentence_entities,
)
from peerassist.retriever.passages import document_name, heading_key, scored_texts, section_heading
from peerassist.sentences import line_splits, remember_splits, remember_vectors, split_sentences

if TYPE_CHECKING:
    import bm25s

CHUNKS_FILE = "chunks.jsonl"
# Each chunk line's sentences, each sentence's named entities and each FAQ entry's subjects, found when the index
# was built, so a process answering from the saved index (`peerassist ask`) never loads spaCy for them; and
# the vectors of every text the evidence scorer embeds (`passages.scored_texts`), so no question
# waits for its passages to be embedded (that wait was the load benchmark's p99 tail).
ANNOTATIONS_FILE = "annotations.json"
VECTORS_FILE = "vectors.npy"
# Bump when sentence splitting, entity recognition or the scored texts change: a saved index of
# another recipe is in another folder (see `retriever.view`), so it is rebuilt, never trusted.
ANNOTATION_RECIPE = 8
# A first name or surname alone stands for the person it names in this share of its mentions ("Marek": Marek
# Nowak, not "Email Marek", spaCy's mistake in a table cell).
NAME_SHARE = 0.8
# A document named by its kind ("the onboarding guide") is that one only if no more documents have those words.
NAMED_DOCUMENTS = 1
# A heading named in a text refers to its section only if this long ("the five golden rules").
REFERENCE_WORDS = 3
TRAILING_POSSESSIVE = re.compile(r"['’]s$")  # "Niamh Walsh's": spaCy keeps it in the name
# Public chatbots members name where a community's documents speak only of their kind ("Never put patient data into
# a public chatbot"): "can i paste patient notes into chatgpt?" was refused (0.16), its one rare word in no document.
# Read as the kind where no document the asker may read names them. Not Copilot: Microsoft's sits inside the
# hospital's own Office, which a policy may allow (golden's "Microsoft Copilot in Outlook" is not answered).
PUBLIC_CHATBOT = "a public chatbot"
# A name written with a capital inside it ("BrigidLab", "ChatGPT", "CoP") or an acronym ("DPIA", "AIOC"; of three to
# five capitals: a minutes header's "RESULTS" is a word, and a member's "id" is "I'd", not "ID").
NAME_SPELLING = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b|\b[A-Z]{3,5}\b")
WORD = re.compile(r"\b[A-Za-z]+\b")
HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")
# A word no document writes, this long and this close to one of their names (difflib's ratio), is that name misspelt:
# "scribeasist" is 0.96 of "scribeassist", "chestflg" 0.94 of "chestflag".
MISSPELT_NAME_LENGTH = 6
MISSPELT_NAME_MATCH = 0.88


class LexicalIndex:
    """BM25 over one version of the live chunks, plus the term statistics answer scoring needs."""

    def __init__(
        self,
        bm25: bm25s.BM25,
        chunks: list[StoredChunk],
        annotations: dict[str, Any],
        vectors: np.ndarray,
        model: EmbeddingModel,
    ) -> None:
        self.bm25 = bm25
        self.chunks = chunks
        self.annotations = annotations
        self.vectors = vectors
        remember_splits(annotations["sentences"])
        remember_entities(annotations["entities"])
        remember_subjects(annotations["subjects"])
        remember_bodies(self.long_forms)
        remember_vectors(model, annotations["vector_texts"], vectors)
        self._doc_ids = np.array([c.metadata.get("doc_id", "") for c in chunks], dtype=object)
        self._df: dict[str, int] = {}
        if chunks:  # (an index of no chunks was never fitted: bm25s has no vocabulary to count)
            frequencies = np.diff(np.asarray(bm25.scores["indptr"]))
            self._df = {token: int(frequencies[i]) for token, i in bm25.vocab_dict.items() if i < len(frequencies)}
        self._position = {chunk.id: i for i, chunk in enumerate(chunks)}

    @classmethod
    def build(cls, chunks: list[StoredChunk], model: EmbeddingModel, previous: LexicalIndex | None = None) -> LexicalIndex:
        """BM25, sentence splits, entities and passage vectors (`model`: the one the chunks were embedded with).

        Annotating is most of the work (on the SQuAD half: 15 s against 0.1 s for BM25), so the text
        an earlier version's index of the same chunks' collection (`previous`) already annotated keeps
        its annotations: an ingest that changes one document annotates that document only.
        """
        bm25 = bm25s_module().BM25()
        if chunks:
            # The heading counts as the chunk's words too, as it does in the embedded text.
            bm25.index(tokenize([f"{chunk_heading(c.metadata)}\n{c.text}" for c in chunks]), show_progress=False)
        known = previous.annotations if previous is not None else {"sentences": {}, "entities": {}, "subjects": {}}
        splits = line_splits([quotable_text(c.text, c.metadata) for c in chunks], known["sentences"])
        remember_splits(splits)
        hits = [SearchHit(c.id, c.text, c.metadata, 0.0) for c in chunks]
        texts = list(dict.fromkeys(t for hit in hits for t in scored_texts(hit)))
        # The encoder and spaCy release the interpreter lock: embedding beside recognising entities
        # takes about 0.8 of the time of one after the other (SQuAD half, 2 cores).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="peerassist-vectors") as pool:
            vectors = pool.submit(_vectors_of, texts, model, previous)
            # Entities of what may be quoted: every sentence, list item, table row and heading.
            found = sentence_entities([*(s for sentences in splits.values() for s in sentences), *texts], known["entities"])
            # (and whom each FAQ entry's question is about: see evidence._replies_about_someone_else)
            entries = [heading for hit in hits if (heading := section_heading(hit)).endswith("?")]
            subjects = subjects_of(entries, known["subjects"])
            annotations = {"sentences": splits, "entities": found, "subjects": subjects, "vector_texts": texts}
            return cls(bm25, chunks, annotations, vectors.result(), model)

    def idf(self, term: str) -> float:
        """Rarity of a term in the corpus; unseen terms count as rare as a term seen once."""
        n = max(1, len(self.chunks))
        df = self._df.get(term, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def knows(self, term: str, allowed_docs: set[str] | None = None) -> bool:
        """Some chunk the asker may read uses the term: a question about a term no such document uses asks what
        they do not say. (A term only a facilitators' document uses is unknown to a member: whether the answer
        is refused must not tell a member what the documents they cannot read say.)"""
        # (a name typed without its accents is the same name: "Herve" is the documents' "Hervé")
        return any(
            allowed_docs is None or any(self._doc_ids[int(i)] in allowed_docs for i in self._postings(form))
            for form in [term, *self._accented.get(term, ())]
            if form in self._df
        )

    @cached_property
    def _accented(self) -> dict[str, list[str]]:
        """The terms the documents write with accents, by the stem of their form without them ("herv": ["hervé"], as a
        question's "Herve" is stemmed)."""
        forms: dict[str, list[str]] = {}
        for term in self._df:
            if (plain := without_accents(term)) != term:
                for stem in content_terms(plain):
                    forms.setdefault(stem, []).append(term)
        return forms

    @cached_property
    def long_forms(self) -> dict[str, str]:
        """Each acronym the documents spell out ("Community of Practice (CoP)"), with its most frequent spelling."""
        found: dict[str, Counter[str]] = {}
        for chunk in self.chunks:
            for name, acronym in spelled_out_acronyms(chunk.text):
                found.setdefault(acronym, Counter())[name] += 1
        return {acronym: names.most_common(1)[0][0] for acronym, names in found.items()}

    @cached_property
    def document_names(self) -> dict[str, frozenset[str]]:
        """Each document's words for itself (passages.document_name: its title, path and kind), by id."""
        names: dict[str, frozenset[str]] = {}
        for chunk in self.chunks:
            doc = str(chunk.metadata.get("doc_id"))
            if doc not in names:
                names[doc] = content_terms(document_name(chunk.metadata))
        return names

    def documents_named(self, question: str, allowed_docs: set[str] | None = None) -> frozenset[str]:
        """The documents the question names by their kind ("What does the procurement checklist say about ...?"): each
        reference names those whose words hold all of its own, if no more than NAMED_DOCUMENTS do ("the checklist"
        names no one of two)."""
        named: set[str] = set()
        for reference in document_references(question):
            documents = {
                doc for doc, name in self.document_names.items()
                if reference <= name and (allowed_docs is None or doc in allowed_docs)
            }
            if len(documents) <= NAMED_DOCUMENTS:
                named |= documents
        return frozenset(named)

    @cached_property
    def _lower_case_words(self) -> frozenset[str]:
        """The words the documents write in lower case: a word, not a name ("Alert Fatigue", "IT")."""
        return frozenset(word for chunk in self.chunks for word in re.findall(r"\b[a-z][\w'’-]*", chunk.text))

    @cached_property
    def spellings(self) -> dict[str, str]:
        """How the documents spell their names and acronyms, casefolded (a name's own spelling before a header's
        capitals: "ScribeAssist", not "SCRIBEASSIST"); never a word they also write in lower case ("it", "who")."""
        found: dict[str, Counter[str]] = {}
        for chunk in self.chunks:
            for word in NAME_SPELLING.findall(chunk.text):
                found.setdefault(word.casefold(), Counter())[word] += 1
        return {
            key: max([form for form in forms if not form.isupper()] or forms, key=forms.__getitem__)
            for key, forms in found.items()
            if key not in self._lower_case_words
        }

    def spelled_as_in_the_documents(self, text: str) -> str:
        """The text with each name spelled as the documents spell it: "can i use brigidlab for patient data" asks
        about BrigidLab, and the checks that know a product or an acronym by its capitals must see it; and with each
        word they hyphenate so ("Is the xray AI live?": "xray" was a word no document uses)."""
        return WORD.sub(lambda m: self._spelling_of(m.group()), text)

    def _spelling_of(self, word: str) -> str:
        """The documents' spelling of a name, or of the one name a word no document writes is a slip of ("ScribeAsist",
        "ChestFlg": otherwise a name no document uses, and refused as one)."""
        key = word.casefold()
        if key in self.spellings:
            return self.spellings[key]
        if key in self._lower_case_words:
            return word
        if key in self._hyphenated:  # ("xray": the documents' "X-ray", "golive" their "go-live")
            return self._hyphenated[key]
        if len(key) < MISSPELT_NAME_LENGTH:
            return word
        close = difflib.get_close_matches(key, self._joined_names, n=1, cutoff=MISSPELT_NAME_MATCH)
        return self.spellings[close[0]] if close else word

    @cached_property
    def _hyphenated(self) -> dict[str, str]:
        """The words the documents write with a hyphen, in their commonest spelling, by the word typed without it
        ("xray": "X-ray"), where no document writes that word."""
        found: dict[str, Counter[str]] = {}
        for chunk in self.chunks:
            for word in HYPHENATED.findall(chunk.text):
                found.setdefault(word.replace("-", "").casefold(), Counter())[word] += 1
        return {key: forms.most_common(1)[0][0] for key, forms in found.items() if key not in self._lower_case_words}

    @cached_property
    def _joined_names(self) -> list[str]:
        """The names the documents write with a capital inside ("scribeassist"), casefolded: acronyms are too short
        to tell a slip from another acronym."""
        return [key for key, name in self.spellings.items() if not name.isupper()]

    def chatbots_read_as_their_kind(self, text: str, allowed_docs: set[str] | None = None) -> str:
        """The text with each public chatbot no readable document names read as "a public chatbot", where some
        readable document speaks of chatbots and the text does not already ("chatbots like ChatGPT")."""
        if not PUBLIC_CHATBOTS.search(text) or re.search(r"\bchatbots?\b", text, re.IGNORECASE):
            return text  # (most questions name none: no look-up for them)
        if not self.knows("chatbot", allowed_docs):
            return text
        return PUBLIC_CHATBOTS.sub(
            lambda m: m.group() if any(self.knows(term, allowed_docs) for term in content_terms(m["name"])) else PUBLIC_CHATBOT,
            text,
        )

    @cached_property
    def people(self) -> dict[str, str]:
        """Each person the documents name (spaCy's PERSON: two or three capitalised words), by full name and by a
        first name or surname that nearly always means the same one of them (NAME_SHARE of its mentions),
        casefolded: how a "who is ...?" question finds them however it is cased, or by half the name ("Who is
        Okafor?")."""
        # A word the documents also write in lower case is a word, not a name: spaCy's "Alert Fatigue", "Email Marek".
        lower = self._lower_case_words
        mentions = Counter(
            name for found in self.annotations["entities"].values() for text, label in found
            if label == "PERSON" and (name := TRAILING_POSSESSIVE.sub("", text).strip(" -–—,;:")) and 2 <= len(name.split()) <= 3
            and all(word[:1].isupper() and word.casefold() not in lower for word in name.split())
            and not NOT_A_NAME.search(name)
        )
        people = {name.casefold(): name for name in mentions}
        by_part: dict[str, Counter[str]] = {}
        for name, count in mentions.items():
            for part in {name.split()[0], name.split()[-1]}:
                by_part.setdefault(part.casefold(), Counter())[name] += count
        for part, names in by_part.items():
            name, count = names.most_common(1)[0]
            if part not in people and count >= NAME_SHARE * sum(names.values()):
                people[part] = name
        return people

    def describing(self, person: str, allowed_docs: set[str] | None = None, limit: int = 3) -> list[SearchHit]:
        """The first `limit` chunks the asker may read with a line saying what the person does (`describes`):
        where a "who is ...?" answer is, wherever the search put them (an encoder reads a name as any other).
        Only the chunks that hold the name's rarest word are read."""
        return self._holding_a_line(person, describes(person), allowed_docs, limit, str.splitlines)

    def defining(self, term: str, allowed_docs: set[str] | None = None, limit: int = 3) -> list[SearchHit]:
        """The first `limit` chunks the asker may read with a line defining the term (`defines`): where a "what is
        ...?" answer is ("DischargeDraft is an in-house tool that uses a large language model ..."), wherever the
        search put them among the passages that only use the term. Only the chunks that hold its rarest word are read."""
        # (not "5. DischargeDraft — update", a heading keyed by the name; a definition opens a sentence. A numbered
        # part is defined by its row: "Tier: Tier 2 — moderate; Description: ...")
        return self._holding_a_line(term, defines(term, keyed=is_a_part(term)), allowed_docs, limit, split_sentences)

    def _holding_a_line(
        self,
        text: str,
        pattern: re.Pattern[str],
        allowed_docs: set[str] | None,
        limit: int,
        lines: Callable[[str], Iterable[str]],
    ) -> list[SearchHit]:
        """The first `limit` chunks the asker may read, among those holding the text's rarest word, with one of their
        `lines` (of the quotable text) that `pattern` finds."""
        found = []
        for at in self._holding(text):
            chunk = self.chunks[at]
            if allowed_docs is not None and chunk.metadata.get("doc_id") not in allowed_docs:
                continue
            if any(pattern.search(line) for line in lines(quotable_text(chunk.text, chunk.metadata))):
                found.append(SearchHit(chunk.id, chunk.text, chunk.metadata, 0.0))
                if len(found) == limit:
                    break
        return found

    def _holding(self, text: str) -> list[int]:
        """Positions, in document order, of the chunks that hold the rarest of the text's words (BM25's postings)."""
        known = [token for token in tokenize([text])[0] if token in self._df]
        if not known:
            return []
        return sorted(int(i) for i in self._postings(min(known, key=lambda token: self._df[token])))

    def _postings(self, term: str) -> np.ndarray:
        """The positions of the chunks that use a term the index knows (BM25's column for it)."""
        column = self.bm25.vocab_dict[term]
        indptr = self.bm25.scores["indptr"]
        return self.bm25.scores["indices"][indptr[column] : indptr[column + 1]]

    def hit(self, chunk_id: str, score: float) -> SearchHit | None:
        """The live chunk as a search hit; None for a chunk this version of the index does not hold (not live)."""
        at = self._position.get(chunk_id)
        if at is None:
            return None
        chunk = self.chunks[at]
        return SearchHit(chunk.id, chunk.text, chunk.metadata, score)

    def section_of(self, hit: SearchHit) -> list[SearchHit]:
        """The chunks of the hit's section in document order: a long section spans several chunks."""
        doc, section = hit.metadata.get("doc_id"), hit.metadata.get("section")
        return self._neighbours(hit, lambda meta: meta.get("doc_id") == doc and meta.get("section") == section)

    @cached_property
    def sections_by_heading(self) -> dict[str, SearchHit]:
        """The first chunk of each section, by its own heading as `passages.heading_key` reads it (a heading
        two documents share is left out: a text naming it cannot say which is meant)."""
        first: dict[str, SearchHit] = {}
        sections: dict[str, set[tuple[str, str]]] = {}
        for chunk in self.chunks:
            hit = SearchHit(chunk.id, chunk.text, chunk.metadata, 0.0)
            if key := heading_key(section_heading(hit)):
                first.setdefault(key, hit)
                sections.setdefault(key, set()).add((str(chunk.metadata.get("doc_id")), str(chunk.metadata.get("section"))))
        return {key: first[key] for key, owners in sections.items() if len(owners) == 1}

    @cached_property
    def heading_references(self) -> re.Pattern[str] | None:
        """Any of `sections_by_heading` long enough (REFERENCE_WORDS) that a text naming it refers to its section."""
        keys = sorted((key for key in self.sections_by_heading if len(key.split()) >= REFERENCE_WORDS), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(map(re.escape, keys)) + r")\b") if keys else None

    def keyed_by(self, code: str, allowed_docs: set[str] | None = None) -> list[SearchHit]:
        """The chunks holding a table row or list item whose key is `code` ("ID: R07; Risk: ...", "C12. ..."): where
        the documents say what the identifier is. (A long register's rows lose to every line that mentions it in
        BM25, and an encoder reads "R07" as noise.)"""
        terms = [t for t in tokenize([code])[0] if t in self._df]
        if len(terms) != 1:
            return []
        row = re.compile(keyed_by(code), re.IGNORECASE | re.MULTILINE)
        return [
            SearchHit(chunk.id, chunk.text, chunk.metadata, 0.0)
            for chunk in (self.chunks[int(i)] for i in self._postings(terms[0]))
            if (allowed_docs is None or chunk.metadata.get("doc_id") in allowed_docs)
            and row.search(quotable_text(chunk.text, chunk.metadata))
        ]

    def rows_keyed_by(self, key: str, allowed_docs: set[str] | None = None, limit: int = 3) -> list[SearchHit]:
        """The first `limit` chunks with a row or item whose key is `key`, however many words it has ("Tier: Tier 2 —
        moderate; ...")."""
        row = re.compile(keyed_by(key), re.IGNORECASE)
        return self._holding_a_line(key, row, allowed_docs, limit, str.splitlines)

    def titled(self, phrase: str, allowed_docs: set[str] | None = None) -> list[SearchHit]:
        """Every chunk, in document order, of the documents titled with the phrase (the whole title, or a whole
        part of it after a colon or a dash: "Lessons Learned: Don't Generate What You Can Retrieve"): where a
        member quoting a document's own words is pointed, however the encoder and BM25 rank its sections against
        the rest of the question. Not a title that merely holds the phrase, nor a short one: a quoted name of
        two or three words ("Romeo & Juliet", "Teen Titans") is as often what a question asks around as what
        it asks about (HotpotQA: "the 1996 adaptation of "Romeo & Juliet"" is not the film "Romeo + Juliet")."""
        wanted = _words_of(phrase)
        if len(wanted.split()) < TITLE_QUOTE_WORDS:
            return []
        return self.chunks_where(lambda meta: wanted in map(_words_of, TITLE_PARTS.split(str(meta.get("title", "")))), allowed_docs)

    def chunks_where(self, wanted: Callable[[Mapping[str, Any]], bool], allowed_docs: set[str] | None = None) -> list[SearchHit]:
        """Every chunk, in document order, whose metadata (title, section) is `wanted`."""
        return [
            SearchHit(chunk.id, chunk.text, chunk.metadata, 0.0)
            for chunk in self.chunks
            if (allowed_docs is None or chunk.metadata.get("doc_id") in allowed_docs) and wanted(chunk.metadata)
        ]

    def document_of(self, hit: SearchHit) -> list[SearchHit]:
        """Every chunk of the hit's document, in document order."""
        doc = hit.metadata.get("doc_id")
        return self._neighbours(hit, lambda meta: meta.get("doc_id") == doc)

    def _neighbours(self, hit: SearchHit, same: Callable[[Mapping[str, Any]], bool]) -> list[SearchHit]:
        """The run of chunks around the hit whose metadata is `same`.

        Chunks are stored sorted by id, which is the document's id then the chunk's index, so
        a section or a document is a run of neighbours.
        """
        at = self._position.get(hit.chunk_id)
        if at is None:
            return [hit]
        start, end = at, at
        while start > 0 and same(self.chunks[start - 1].metadata):
            start -= 1
        while end + 1 < len(self.chunks) and same(self.chunks[end + 1].metadata):
            end += 1
        return [
            hit if i == at else SearchHit(chunk.id, chunk.text, chunk.metadata, hit.score)
            for i in range(start, end + 1)
            for chunk in (self.chunks[i],)
        ]

    def search(self, question: str, k: int, allowed_docs: set[str] | None = None) -> list[SearchHit]:
        tokens = [t for t in tokenize([question])[0] if t in self._df]
        if not tokens:
            return []
        mask = None
        if allowed_docs is not None:
            mask = np.isin(self._doc_ids, list(allowed_docs)).astype(np.float32)
        indices, scores = self.bm25.retrieve(
            [tokens], k=min(k, len(self.chunks)), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [
            SearchHit(chunk_id=chunk.id, text=chunk.text, metadata=chunk.metadata, score=float(score))
            for i, score in zip(indices[0], scores[0], strict=True)
            if score > 0
            for chunk in (self.chunks[int(i)],)
        ]

    # --- persistence ---------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Write atomically: a reader sees the whole index or none."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
        try:
            with (staging / CHUNKS_FILE).open("w", encoding="utf-8") as out:
                for chunk in self.chunks:
                    out.write(json.dumps({"id": chunk.id, "text": chunk.text, "metadata": chunk.metadata}) + "\n")
            (staging / ANNOTATIONS_FILE).write_text(json.dumps(self.annotations), encoding="utf-8")
            np.save(staging / VECTORS_FILE, self.vectors)
            if self.chunks:
                self.bm25.save(str(staging), show_progress=False)
            os.replace(staging, directory)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not directory.exists():
                raise

    @staticmethod
    def is_saved(directory: Path) -> bool:
        """A complete saved index (one saved by an older release lacks the annotations)."""
        return all((directory / name).is_file() for name in (CHUNKS_FILE, ANNOTATIONS_FILE, VECTORS_FILE))

    @classmethod
    def load(cls, directory: Path, model: EmbeddingModel) -> LexicalIndex:
        with (directory / CHUNKS_FILE).open(encoding="utf-8") as lines:
            chunks = [StoredChunk(**json.loads(line)) for line in lines]
        bm25s = bm25s_module()
        bm25 = bm25s.BM25.load(str(directory)) if chunks else bm25s.BM25()
        annotations = json.loads((directory / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
        return cls(bm25, chunks, annotations, np.load(directory / VECTORS_FILE), model)


def _vectors_of(texts: list[str], model: EmbeddingModel, previous: LexicalIndex | None) -> np.ndarray:
    """The texts' vectors, embedding only those `previous` (an index over the same model) lacks."""
    if not texts:
        return np.zeros((0, model.dimensions), dtype=np.float32)
    saved = dict(zip(previous.annotations["vector_texts"], previous.vectors, strict=True)) if previous is not None else {}
    new = [text for text in texts if text not in saved]
    saved.update(zip(new, model.embed(new), strict=True))
    return np.vstack([saved[text] for text in texts])


def live_chunks(generation: Generation, live: Mapping[str, str]) -> list[StoredChunk]:
    """Every chunk of a live document version, in a stable order."""
    chunks: list[StoredChunk] = []
    offset = 0
    while True:
        page = generation.collection.get(include=["documents", "metadatas"], limit=GET_PAGE, offset=offset)
        for chunk_id, text, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True):
            if live.get(str(meta.get("doc_id"))) == meta.get("doc_hash"):
                chunks.append(StoredChunk(chunk_id, text or "", dict(meta)))
        if len(page["ids"]) < GET_PAGE:
            break
        offset += GET_PAGE
    chunks.sort(key=lambda c: c.id)
    return chunks


TITLE_QUOTE_WORDS = 4
# Where a title's parts meet: "Lessons Learned: Don't Generate ...", "Community Meeting Notes — 9 December 2025".
TITLE_PARTS = re.compile(r"\s*(?::|\s[-–—|]\s)\s*")


def _words_of(text: str) -> str:
    """Text compared as its words: case, curly quotes and punctuation aside ("Don't Generate What You Can Retrieve")."""
    return " ".join(re.findall(r"\w+(?:'\w+)?", text.replace("’", "'").casefold()))


def chunk_heading(metadata: Mapping[str, Any]) -> str:
    """'Title > Section' of a stored chunk, as it was embedded with the chunk's text."""
    return heading_path(str(metadata.get("title", "")), str(metadata.get("section", "")))
