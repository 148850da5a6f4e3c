"""Asking a question, end to end: condense, retrieve, score, answer or abstain, log.

One `AnswerService` per process: it keeps the embedding model, sentence vectors and a
read view of the index that follows other processes' ingests.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache

import numpy as np

from peerassist import nlp, query_log
from peerassist.db import QueryRecord
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex, SearchHit, shown_source
from peerassist.terms import asks_nothing, content_terms, is_small_talk, with_question_words
from peerassist.text import single_line
from peerassist.retriever.answer_type import (
    ASKS_WHAT_TERM_IS,
    QuestionKind,
    answer_shape,
    answers_with_a_definition,
    as_a_trade,
    as_of_any_tool,
    as_the_encoder_should_read,
    asked_person,
    asked_sentence,
    gives_other_measures,
    lacks_asked_detail,
    lacks_named_code,
    lessons_subject,
    names_another_kind_of,
    names_another_product,
    names_lessons_of,
    names_unknown_name,
    products_named,
    question_kind,
    quoted_phrases,
    shape_match,
    sub_questions,
    undoes_the_asked_action,
)
from peerassist.retriever.base import Query, Reranker
from peerassist.retriever.confidence import ConfidenceModel
from peerassist.retriever.conversation import condense, with_topic
from peerassist.retriever.compose import ELLIPSIS, compose
from peerassist.retriever.draft import Claim, Draft, Part
from peerassist.retriever.evidence import Evidence, EvidenceScorer, answer_features, lacks_named_part, months_named, named_in, parts_named
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.fusion import rank_fused
from peerassist.retriever.lexical import chunk_heading
from peerassist.retriever.llm import LLMAnswerer, chat_model_from
from peerassist.retriever.passages import in_glossary, section_heading
from peerassist.retriever.retrievers import RETRIEVERS
from peerassist.retriever.schemas import Answer, AnswerLine, AnswerPart, Citation, RetrievedPassage, Source
from peerassist.sentences import SentenceVectors, as_sentence
from peerassist.retriever.view import KnowledgeView
from peerassist.retriever.vote_prior import VotePrior

log = logging.getLogger(__name__)

NOT_FOUND_TEXT = "I couldn't find this in the community's documents."
# Where definitions live: one quoted from here answers "what is X?", not a question that only uses X.
RELATED_DOCUMENTS = 3
# How much the sentence that asks counts beside the whole question when both rank the passages (fusion.rank_fused).
# Golden member-style questions (fact recall, false refusals): 0 -> 69 of 93, 0.032; 0.15 -> 70; 0.2 -> 71; 0.3 ->
# 71, 0.022; 0.5 -> 71, 0.022; 0.7 -> 68; 1.0 -> 69, 0.043. SQuAD and HotpotQA questions are one sentence each.
ASKED_SENTENCE_WEIGHT = 0.3
# How much a procedure question naming a product counts read as of any tool (`as_of_any_tool`) beside the question as
# written. Asked of every question naming a product at 0.5: 45 of ~1,400 probe answers moved, as many worse as better
# (a tool's tier, licence and pilot figures went to the general entries); of procedure questions only: 6 moved (3
# better, 3 alike), golden unchanged. At 0.3 (RANK_OFFSET 10) an entry the first search missed cannot enter the top five.
ANY_TOOL_WEIGHT = 0.5
# ... and "who is the vendor of X?" read as "who sells, supplies or makes X?" (`as_a_trade`): the same question in the
# documents' words, counted as much as the question as written (at 0.3 the sepsis model's supplier stayed 9th).
TRADE_WEIGHT = 1.0
# Passages every answer is chosen from, whatever `k` (how many are listed): the evidence looks past the
# first few for each retriever's own best (evidence.evidence_passages), so the answer must not depend on
# how many passages the caller wants listed. (The evals ask with k=10, which retrieved 20 before.)
SEARCH_DEPTH = 20
# A quoted title's document, fused in as a second ranking as strong as the search's own: the lesson's closing
# section, in no retriever's top 30, then answered the golden question quoting its title; HotpotQA unchanged.
TITLED_WEIGHT = 1.0
# ... and the documents whose title names the month a question names, more weakly: "What happened when ChestFlag
# went down in February?" is answered by the project report, not by February's minutes.
DATED_WEIGHT = 0.5
# ... and the passages that define the term a "what is X?" asks about, as strongly as a quoted title's document.
DEFINED_WEIGHT = 1.0
# ... and the sections whose headings name the numbered part it names ("Stage 2", "Section D"), as strongly: at
# 0.5 a section no retriever ranked in its first 20 could not come in ("Stage 2 — Assurance").
NAMED_PART_WEIGHT = 1.0
# ... and the sections naming the lessons a question asks for (answer_type.ASKS_WHAT_WAS_LEARNED), as strongly.
LESSONS_WEIGHT = 1.0
# Shingle overlap above which two passages count as the same text (a copied section, say).
NEAR_DUPLICATE_JACCARD = 0.8
# Where a composed answer is cut for streaming: after a citation marker, so each piece is a whole
# cited sentence or list item; the whitespace (a space, or a list item's newline) starts the next.
PIECES = re.compile(r"(?<=\])(?=\s)")


class QuestionError(ValueError):
    """The question cannot be asked as given; the message says why."""


@dataclass
class Considered:
    """What the service knows about a question before deciding to answer it."""

    evidence: Evidence
    draft: Draft  # the offline answer, composed whether or not it will be given
    features: dict[str, float]  # evidence and composed-answer signals for the confidence model
    hits: list[SearchHit]
    # The composed answer cannot be what was asked, however confident (a definition for "which company?").
    off_target: bool = False

    def answers(self, model: ConfidenceModel, confidence: float) -> bool:
        return gives_answer(model, confidence, has_claims=bool(self.draft.claims), off_target=self.off_target)


def _judged(question: str, evidence: Evidence, draft: Draft) -> tuple[dict[str, float], bool]:
    """The confidence features of a composed answer, and whether it cannot be what was asked (a definition
    for "which company?", no date for "when?")."""
    quotes = [c.quote for c in draft.claims if c.quote]
    features = evidence.features | answer_features(evidence, quotes)
    lead = draft.claims[0].hit if draft.claims else None  # the passage the answer is quoted from first
    glossary = lead is not None and in_glossary(lead)
    # (an "Also" from another document adds to the answer; it cannot make it name what was asked about)
    own = _quotes(draft, lambda part: not part.also)
    sentences = _quotes(draft, lambda part: not part.is_list and not part.also)
    items = _quotes(draft, lambda part: part.is_list)
    also = _quotes(draft, lambda part: part.also and not part.is_list)
    off_target = (
        asks_nothing(question)  # "hi", "test", "what is it?": nothing to answer about, whatever passage is nearest
        or lacks_asked_detail(question, sentences, items, _named_as(evidence, lead), also) is not None
        or lacks_named_code(question, own)
        or gives_other_measures(question, own)
        or (lead is not None and lacks_named_part(question, own, chunk_heading(lead.metadata)))
        or (lead is not None and names_another_product(question, chunk_heading(lead.metadata), draft.claims[0].text))
        or (lead is not None and names_another_kind_of(question, own, chunk_heading(lead.metadata)))
        # "Is ChestFlag FDA-cleared?", "What does the FDA say ...?": what a body no document names does is a guess
        or names_unknown_name(question, evidence.unknown)
        or (glossary and answers_with_a_definition(question, quotes, evidence.term_weights))
        # "how would I get my clinic added to the ambient scribe pilot?": a glossary that tells no one what to do
        # ("ScribeAssist is the ambient scribe piloted in outpatients.") says what a thing is, not how
        or (glossary and evidence.kind is QuestionKind.PROCEDURE and not _instructs(question, evidence.kind, own))
        or (evidence.kind is QuestionKind.YES_NO and _answers_another_faq_question(draft, evidence))
        or (lead is not None and undoes_the_asked_action(question, f"{chunk_heading(lead.metadata)}\n{draft.claims[0].text}"))
    )
    return features, off_target


def _instructs(question: str, kind: QuestionKind, quotes: list[str]) -> bool:
    shape = answer_shape(question, kind)
    return any(shape_match(shape, quote) == 1.0 for quote in quotes)


def _named_as(evidence: Evidence, lead: SearchHit | None) -> list[str]:
    """What the answer's document goes by, for "where can I find ...?": all its names when the answer names the
    document asked for ("the slides from the onboarding talk" are its pptx), else its title."""
    if evidence.asked_document is not None:
        return [evidence.asked_document.name]
    return [str(lead.metadata.get("title", ""))] if lead else []


def _quotes(draft: Draft, of: Callable[[Part], bool]) -> list[str]:
    """The quotes of the draft's parts that are `of` the kind wanted (its own, its lists, its "Also" lines)."""
    return [claim.quote for part in draft.parts if of(part) for claim in part.claims if claim.quote]


def _answers_another_faq_question(draft: Draft, evidence: Evidence) -> bool:
    """A yes/no answer quoted from an FAQ entry (its question first) whose entry never names the rarest thing the
    member asks about, and which does not name the member's action either: "Can I bring a guest to a meeting?" was
    answered "Can I present at a meeting? Yes, please. ..." (1.00), read as a yes to the guest. The same entry still
    answers "Can I present my project at a monthly meeting?" (same action). Golden and 48 probe questions (30 yes/no,
    18 rewordings of the FAQ's own questions) unchanged besides the guest. The action counts in the entry's answer
    too: "Can I paste ... into a public chatbot? No. ... not approved for any clinical use" answers "can I use
    ChatGPT for discharge letters?" (only its question's "paste" counted before: 2 of ~1,100 probe answers moved)."""
    claims = draft.claims
    if not claims or not claims[0].is_faq_question:
        return False
    weights = evidence.term_weights
    things = {term for phrase in nlp.noun_phrases(evidence.question) for term in content_terms(phrase.split()[-1])} & set(weights)
    if not things:
        return False
    rarest = max(things, key=lambda term: weights[term])
    entry = content_terms(f"{claims[0].hit.metadata.get('section', '')}\n{claims[0].hit.text}")
    if rarest in entry or rarest in evidence.unknown:  # (a term no document uses has its own refusal)
        return False
    # (compared as content terms: stemmed, so "record" meets "recorded"; an auxiliary is no action of its own)
    return not content_terms(" ".join(nlp.main_verbs(evidence.question))) & entry


def _add_new_parts(draft: Draft, more: Draft) -> None:
    """Another part's answer, without what the draft already says: its own parts after the draft's own, any "Also"
    at the end (else the second part's answer read as part of the first's "Also")."""
    seen = {claim.text for claim in draft.claims}
    fresh = [
        Part(claims, is_list=part.is_list, ordered=part.ordered, also=part.also)
        for part in more.parts
        if (claims := [claim for claim in part.claims if claim.text not in seen])
    ]
    first_also = next((i for i, part in enumerate(draft.parts) if part.also), len(draft.parts))
    draft.parts[first_also:first_also] = [part for part in fresh if not part.also]
    draft.parts.extend(part for part in fresh if part.also)


def gives_answer(model: ConfidenceModel, confidence: float, *, has_claims: bool, off_target: bool) -> bool:
    """The one rule for answering (the service and the evals): confident, something to quote, on target."""
    return model.answers(confidence) and has_claims and not off_target


@dataclass
class AskOptions:
    retriever: str = "hybrid"
    k: int = 5
    filter: SearchFilter = field(default_factory=SearchFilter)
    conversation_id: str | None = None
    asker: str | None = None
    key_id: str | None = None  # the API key asking; with `asker`, whose conversations it may continue
    log: bool = True  # False for the system's own questions (onboarding checks), which are not members'


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        index: KnowledgeIndex | None = None,
        *,
        llm: LLMAnswerer | None = None,
        confidence: ConfidenceModel | None = None,
        reranker: Reranker | None = None,
        log_queries: bool = True,
        vote_prior: VotePrior | None = None,
    ) -> None:
        self.settings = settings
        self.index = index or KnowledgeIndex(settings)
        self.view = KnowledgeView(self.index)
        chat_model = None if llm else chat_model_from(settings)
        self.llm = llm or (LLMAnswerer(chat_model) if chat_model else None)
        self.confidence = confidence or ConfidenceModel.load()
        self.reranker = reranker
        self.log_queries = log_queries
        # Members' votes nudge hybrid ranking (bounded; see retriever.vote_prior).
        self.vote_prior = vote_prior or VotePrior(lambda: query_log.document_votes(self.index.db))
        self._scorers: dict[str, EvidenceScorer] = {}

    def warm(self) -> None:
        """Load now what the first questions would otherwise all wait for, under load, at once:
        the saved lexical index (its sentences, entities and passage vectors), the embedding
        model and spaCy (follow-up questions and the LLM's reply still use it)."""
        self.view.warm()
        self.view.current().generation.model.embed_query("warm-up")
        nlp.load()

    def ask(self, question: str, options: AskOptions | None = None) -> Answer:
        for event in self.ask_stream(question, options):
            if isinstance(event, Answer):
                return event
        raise AssertionError("ask_stream ends with the answer")

    def ask_again(self, question: str, role: str = "member") -> Answer | None:
        """A logged question asked again as `role` sees the documents, not logged; None when it no longer
        passes the checks (it was asked before a limit was lowered, or before "?!" became a usage error)."""
        try:
            return self.ask(question, AskOptions(filter=SearchFilter(role=role), log=False))
        except QuestionError:
            return None

    def ask_stream(self, question: str, options: AskOptions | None = None) -> Iterator[str | Answer]:
        """The answer's text as it is produced, then the whole `Answer`, checked and logged.

        With an LLM the text is its reply, token by token, before the post-check: the `Answer`
        says what was kept (its `answer`) and what was dropped (`dropped`). Offline it is the
        composed answer, piece by piece, sent as soon as it is chosen. A refusal sends its one line.
        """
        options = options or AskOptions()
        started = time.perf_counter()
        question = self._check(question, options)
        conversation_id, previous = self._conversation(options)
        # ("Thanks!" after a question is not a follow-up to rewrite with its topic, and is answered as small talk)
        standalone = self.rewrite(question, previous) if previous and not is_small_talk(question) else question
        considered = self.consider(standalone, options)
        confidence = self.confidence.confidence(considered.features)
        if previous and standalone == question and not considered.answers(self.confidence, confidence):
            # A follow-up that leaves its topic unsaid ("What happens to the recordings?" after "What is
            # ScribeAssist?") and finds nothing alone is asked again about the conversation's topic.
            if (about := with_topic(question, previous)) is not None and not is_small_talk(question):
                again = self.consider(about, options)
                if again.answers(self.confidence, again_confidence := self.confidence.confidence(again.features)):
                    standalone, considered, confidence = about, again, again_confidence
        if considered.answers(self.confidence, confidence):
            draft, answerer = yield from self._draft(considered)
        else:
            draft, answerer = Draft(), "extractive"
        answered = bool(draft.claims)
        if not answered:
            yield NOT_FOUND_TEXT
        answer = Answer(
            answer=compose_text(draft) if answered else NOT_FOUND_TEXT,
            answered=answered,
            confidence=round(confidence, 4),
            citations=citations_for(draft.claims),
            parts=parts_for(draft),
            retrieved=[_passage(rank, hit) for rank, hit in enumerate(considered.hits, start=1)],
            related=[] if answered else related_documents(considered.hits),
            conversation_id=conversation_id,
            standalone_question=standalone,
            retriever=options.retriever,
            answerer=answerer,
            dropped=draft.dropped,
        )
        answer.query_id = self._log(question, answer, options, time.perf_counter() - started)
        # A first question starts a conversation a follow-up can continue.
        answer.conversation_id = answer.conversation_id or answer.query_id
        yield answer

    def consider(self, question: str, options: AskOptions, vector: np.ndarray | None = None) -> Considered:
        """Retrieve, score the evidence and compose the offline answer (`vector`: the question's embedding, if known)."""
        query, hits = self._search(with_question_words(question), options, vector)
        question = query.text  # (as the documents spell it: see `query`)
        scorer = self._scorers.get(query.model.model_id) or self._scorers.setdefault(
            query.model.model_id, EvidenceScorer(SentenceVectors(query.model))
        )
        lexical = query.snapshot.lexical
        # The answer depends on the first SEARCH_DEPTH passages only, whatever `k` asks to list.
        passages = hits[:SEARCH_DEPTH]
        asked = sub_questions(question)
        # Sentences are scored against each part read both ways, as written and as the encoder should read it (an
        # acronym it misreads spelled out: the two vectors averaged); headings, the community's own questions
        # ("How do I leave the CoP?"), against the part as written. The respelling alone answered "When does the
        # CoP meet?" but lost "Who runs the CoP?" to the working-group leads' rows ("Runs the training calendar").
        read = [as_the_encoder_should_read(part, lexical.long_forms) for part in asked]
        written = asked if len(asked) > 1 else []  # (a plain question's vector is the query's)
        respelled = read if read != asked else []
        embedded = list(query.model.embed(written + respelled)) if written or respelled else []  # one call, side by side
        as_written = embedded[: len(written)] or [query.vector]
        as_read = [_unit(a + b) for a, b in zip(as_written, embedded[len(written) :], strict=True)] if respelled else as_written
        # Each part of a compound question is scored and answered on its own, from the same passages.
        evidence = scorer.gather(asked[0], as_read[0], passages, lexical, query.allowed_docs, as_written[0])
        draft = compose(evidence, lexical)
        features, off_target = _judged(asked[0], evidence, draft)
        for part, part_read, part_written in zip(asked[1:], as_read[1:], as_written[1:], strict=True):
            part_evidence = scorer.gather(part, part_read, passages, lexical, query.allowed_docs, part_written)
            more = compose(part_evidence, lexical)
            part_features, part_off_target = _judged(part, part_evidence, more)
            if self.confidence.answers(self.confidence.confidence(part_features)) and not part_off_target:
                _add_new_parts(draft, more)
        # (an LLM answerer is asked the whole question, not its first part)
        return Considered(replace(evidence, question=question), draft, features, hits[: options.k], off_target)

    def search(self, question: str, options: AskOptions, vector: np.ndarray | None = None) -> list[SearchHit]:
        """Only the passages: for callers that need documents, not an answer (no sentence scoring)."""
        return self._search(question, options, vector)[1][: options.k]

    def query(self, question: str, options: AskOptions, vector: np.ndarray | None = None) -> Query:
        """The question against the current snapshot, within the documents its filter allows."""
        snapshot = self.view.current()
        allowed = options.filter.allowed(snapshot.documents)
        # ("can i use brigidlab ...?" names BrigidLab: the rules that know a product or an acronym by its capitals
        # read it as the documents spell it; the encoder and BM25 read no case)
        allowed_docs = None if allowed == set(snapshot.documents) else allowed
        asked = snapshot.lexical.chatbots_read_as_their_kind(snapshot.lexical.spelled_as_in_the_documents(question), allowed_docs)
        if asked.casefold() != question.casefold():
            vector = None  # (the question's vector is of other words now)
        return Query(asked, snapshot, snapshot.generation.model, allowed_docs, vector)

    def _search(self, question: str, options: AskOptions, vector: np.ndarray | None) -> tuple[Query, list[SearchHit]]:
        query = self.query(question, options, vector)
        question = query.text
        asked = asked_sentence(question)
        if asked is None:
            hits = self._ranked(query, options)
        else:
            # The context a member gives first ("I'd like to present our ward's audit of an AI tool at a monthly
            # meeting.") decides what the whole question retrieves; the sentence that asks ("How do I get a
            # slot?") gets a say of its own. (Both embedded in one call: the encoder runs them side by side.)
            if vector is None:
                vector, asked_vector = query.model.embed([question, asked])
                query = replace(query, precomputed_vector=vector)
            else:
                asked_vector = query.model.embed_query(asked)
            # The two searches run side by side (Chroma and BM25 release the interpreter lock): one's time, not two.
            by_asked = _search_threads().submit(self._ranked, replace(query, text=asked, precomputed_vector=asked_vector), options)
            hits = self._ranked(query, options)
            hits = rank_fused(hits, [_found_by_asked(hit) for hit in by_asked.result()], ASKED_SENTENCE_WEIGHT)
        if question_kind(question) is QuestionKind.PROCEDURE and products_named(question):
            # What to do with one tool is often what to do with any: "What do I do if ScribeAssist is down?" is
            # answered by "What if the tool is down?" (20th to the question as written, under every ScribeAssist passage).
            generic = replace(query, text=as_of_any_tool(question), precomputed_vector=None)
            hits = rank_fused(hits, self._ranked(generic, options), ANY_TOOL_WEIGHT)
        if (trade := as_a_trade(question)) is not None:
            hits = rank_fused(hits, self._ranked(replace(query, text=trade, precomputed_vector=None), options), TRADE_WEIGHT)
        hits = collapse_near_duplicates(hits)
        if (person := asked_person(question, query.snapshot.lexical.people)) is not None:
            # "Who is Marek Nowak?": the lines giving his role lead, wherever the search ranked them.
            profile = query.snapshot.lexical.describing(person, query.allowed_docs)
            ids = {hit.chunk_id for hit in profile}
            top = hits[0].score if hits else 0.0
            hits = [*(replace(hit, score=top) for hit in profile), *(hit for hit in hits if hit.chunk_id not in ids)]
        lexical = query.snapshot.lexical
        if asked := ASKS_WHAT_TERM_IS.match(question):
            # "What is DischargeDraft?": the sentence that says what it is, wherever the search ranked it among the
            # many that only use the name ("When the doctor opens the discharge summary, DischargeDraft retrieves ...").
            hits = _fused_in(hits, lexical.defining(asked.group("term"), query.allowed_docs), DEFINED_WEIGHT)
        # A document the member names by quoting its title is read whole (not put first: "the 1996 adaptation of
        # "Romeo & Juliet"" asks about another film than the one of that title).
        titled = [hit for phrase in quoted_phrases(question) for hit in lexical.titled(phrase, query.allowed_docs)]
        hits = _fused_in(hits, titled, TITLED_WEIGHT)
        if named := lexical.documents_named(question, query.allowed_docs):
            # "What does the risk register say about model drift?": the question searched within the document it names,
            # as strongly (its row R05, which the search ranked sixth, after the glossary's and the guides' model drift).
            hits = rank_fused(hits, self._ranked(replace(query, allowed_docs=set(named)), options), TITLED_WEIGHT)
        if months := months_named(question):
            # "What did we talk about in February?": the documents whose title names February (its minutes),
            # wherever the search ranked them against every other document that mentions a meeting.
            dated = lexical.chunks_where(lambda meta: bool(months & months_named(str(meta.get("title", "")))), query.allowed_docs)
            hits = _fused_in(hits, dated, DATED_WEIGHT)
        if parts := parts_named(question):
            # "What happens at Stage 3?": the sections whose headings name Stage 3, against everything that
            # mentions a Stage 3 approval.
            headed = lexical.chunks_where(lambda meta: bool(parts & named_in(chunk_heading(meta))), query.allowed_docs)
            # ... and the rows it keys: "What does tier 2 mean?" is answered by "Tier: Tier 2 — moderate; ...".
            keyed = [hit for kind, number in sorted(parts) for hit in lexical.rows_keyed_by(f"{kind} {number}", query.allowed_docs)]
            hits = _fused_in(hits, [*headed, *keyed], NAMED_PART_WEIGHT)
        if (subject := lessons_subject(question)) is not None:
            # "What are the key takeaways from the scribe pilot?": the sections naming the lessons of what they were
            # learned from, wherever the search ranked them ("takeaways" is no word of theirs).
            lessons = lexical.chunks_where(lambda meta: names_lessons_of(subject, chunk_heading(meta)), query.allowed_docs)
            hits = _fused_in(hits, lessons, LESSONS_WEIGHT)
        if self.reranker:
            hits = self.reranker.rerank(question, hits)
        return query, hits

    def _ranked(self, query: Query, options: AskOptions) -> list[SearchHit]:
        hits = RETRIEVERS[options.retriever]().retrieve(query, max(options.k * 2, SEARCH_DEPTH))
        return self.vote_prior.rerank(hits) if options.retriever == "hybrid" else hits

    # --- steps ---------------------------------------------------------------------------

    def _check(self, question: str, options: AskOptions) -> str:
        question = single_line(question)
        if not question:
            raise QuestionError("the question is empty")
        if not any(ch.isalnum() for ch in question):
            raise QuestionError("the question has no words, only punctuation or symbols")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question is {len(question)} characters long; the limit is {self.settings.max_question_chars}"
            )
        if options.retriever not in RETRIEVERS:
            raise QuestionError(f"unknown retriever {options.retriever!r}; expected one of {', '.join(RETRIEVERS)}")
        if options.k < 1:
            raise QuestionError("k must be at least 1")
        return question

    def _conversation(self, options: AskOptions) -> tuple[str | None, str | None]:
        """(conversation id to log under, the last standalone question to continue from).

        Only the caller's own conversation continues (same key, same asker). An id nobody has
        used names a new conversation; one that another caller started is not joined: this
        question starts a conversation of its own, never rewritten with theirs.
        """
        if not options.conversation_id:
            return None, None
        turns = query_log.conversation_turns(self.index.db, options.conversation_id)
        if not turns:
            return options.conversation_id, None
        mine = [t.standalone_question for t in turns if (t.asker, t.key_id) == (options.asker, options.key_id)]
        if not mine:
            return None, None
        # The topic to continue is the last real question's: a "thanks!" in between does not end the conversation.
        return options.conversation_id, next((q for q in mine if not is_small_talk(q)), None)

    def rewrite(self, question: str, previous: str) -> str:
        """A follow-up made to stand alone: by the LLM when one is reachable, else by the offline rules."""
        if self.llm:
            try:
                return self.llm.condense(question, previous)
            except Exception as exc:  # noqa: BLE001 - any endpoint failure means: do it offline
                log.warning("LLM unreachable for condensing (%s); using the offline rewrite", exc)
        # (names as the documents spell them: "brigidgpt", typed in lower case, is the topic of "what is brigidgpt?")
        spelled = self.view.current().lexical.spelled_as_in_the_documents
        asked = spelled(question)
        rewritten = condense(asked, spelled(previous))
        return question if rewritten == asked else rewritten

    def _draft(self, considered: Considered) -> Generator[str, None, tuple[Draft, str]]:
        """The LLM's checked answer when one is configured and reachable, else the offline one.

        Yields the text as it comes (see `ask_stream`).
        """
        if self.llm:
            try:
                draft = yield from self.llm.draft(considered.evidence)
                if draft.claims or draft.not_found:
                    return draft, "llm"
                log.warning("every sentence of the LLM answer failed the check; answering offline")
            except Exception as exc:  # noqa: BLE001 - any endpoint failure means: answer offline
                log.warning("LLM unreachable (%s); answering offline", exc)
        yield from PIECES.split(compose_text(considered.draft))
        return considered.draft, "extractive"

    def _log(self, question: str, answer: Answer, options: AskOptions, seconds: float) -> str | None:
        if not (self.log_queries and options.log):
            return None
        query_id = uuid.uuid4().hex
        return query_log.log_question(
            self.index.db,
            QueryRecord(
                id=query_id,
                conversation_id=answer.conversation_id or query_id,
                asker=options.asker,
                key_id=options.key_id,
                question=question,
                standalone_question=answer.standalone_question,
                answer=answer.answer,
                answered=answer.answered,
                confidence=answer.confidence,
                retriever=answer.retriever,
                answerer=answer.answerer,
                cited_chunks=[c.chunk_id for c in answer.citations],
                cited_docs=sorted({c.doc_id for c in answer.citations}),
                latency_ms=round(seconds * 1000, 1),
            ),
        )


def compose_text(draft: Draft) -> str:
    """Plain text: paragraphs of sentences and lists of items, each followed by its passage's number."""
    numbers = _citation_numbers(draft.claims)
    blocks = []
    for part in draft.parts:
        if part.is_list:
            blocks.append("\n".join(_list_line(part, i, c, numbers) for i, c in enumerate(part.claims, start=1)))
        else:
            text = " ".join(f"{as_sentence(c.text)} [{numbers[c.hit.chunk_id]}]" for c in part.claims)
            blocks.append(f"Also: {text}" if part.also else text)
    return "\n".join(blocks)


def _list_line(part: Part, position: int, claim: Claim, numbers: dict[str, int]) -> str:
    marker = "" if claim.text == ELLIPSIS else f"{position}. " if part.ordered else "- "
    # An item that is a section's own heading ("Stage 2 — Assurance") is a name, not a sentence.
    text = claim.text if claim.text in (ELLIPSIS, section_heading(claim.hit)) else as_sentence(claim.text)
    return f"{marker}{text} [{numbers[claim.hit.chunk_id]}]"


def parts_for(draft: Draft) -> list[AnswerPart]:
    numbers = _citation_numbers(draft.claims)
    return [
        AnswerPart(
            type="list" if part.is_list else "paragraph",
            ordered=part.ordered,
            also=part.also,
            lines=[AnswerLine(text=c.text, n=numbers[c.hit.chunk_id]) for c in part.claims],
        )
        for part in draft.parts
    ]


def citations_for(claims: list[Claim]) -> list[Citation]:
    """One citation per cited passage, numbered by first use, quoting the sentences used from it."""
    numbers = _citation_numbers(claims)
    quotes: dict[str, list[str]] = {}
    for claim in claims:
        quotes.setdefault(claim.hit.chunk_id, [])
        if claim.quote and claim.quote not in quotes[claim.hit.chunk_id]:
            quotes[claim.hit.chunk_id].append(claim.quote)
    hits = {c.hit.chunk_id: c.hit for c in claims}
    return [
        Citation(n=n, chunk_id=chunk_id, quote=" … ".join(quotes[chunk_id]), **source_of(hits[chunk_id]).model_dump())
        for chunk_id, n in numbers.items()
    ]


def related_documents(hits: list[SearchHit]) -> list[Source]:
    """The nearest documents, one entry each, offered as "might help" when not answering."""
    seen: dict[str, Source] = {}
    for hit in hits:
        doc_id = str(hit.metadata.get("doc_id"))
        if doc_id not in seen:
            seen[doc_id] = source_of(hit)
        if len(seen) == RELATED_DOCUMENTS:
            break
    return list(seen.values())


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


@cache
def _search_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="peerassist-search")


def _found_by_asked(hit: SearchHit) -> SearchHit:
    """A hit of the asked sentence alone: its retrievers' scores are for other words than the question's, so
    they are kept apart (the evidence looks for each retriever's own best hit of the whole question)."""
    return replace(hit, signals={"asked_sentence": hit.score})


def _fused_in(hits: list[SearchHit], chunks: list[SearchHit], weight: float) -> list[SearchHit]:
    """The chunks (a document read whole, the sections naming an asked part, ...) fused into the ranking as a second
    one: those the search found as it ranked them, then the rest in their own order. No chunks: the ranking as it is."""
    if not chunks:
        return hits
    ids = {hit.chunk_id for hit in chunks}
    found = [hit for hit in hits if hit.chunk_id in ids]
    seen = {hit.chunk_id for hit in found}
    unranked = [replace(hit, score=found[-1].score if found else 0.0) for hit in chunks if hit.chunk_id not in seen]
    return rank_fused(hits, [*found, *unranked], weight)


def collapse_near_duplicates(hits: list[SearchHit]) -> list[SearchHit]:
    """Keep the best-ranked of passages that say the same thing (copies across documents)."""
    kept: list[tuple[SearchHit, frozenset[tuple[str, ...]]]] = []
    for hit in hits:
        shingles = _shingles(hit.text)
        if any(_nearly_the_same(shingles, other) for _, other in kept):
            continue
        kept.append((hit, shingles))
    return [hit for hit, _ in kept]


@lru_cache(maxsize=20_000)
def _shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    """Cached: the same passages come back for question after question."""
    words = text.casefold().split()
    return frozenset(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))


def _nearly_the_same(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Jaccard similarity of at least NEAR_DUPLICATE_JACCARD (sets this different in size cannot reach it)."""
    if not a or not b or min(len(a), len(b)) < NEAR_DUPLICATE_JACCARD * max(len(a), len(b)):
        return False
    common = len(a & b)
    return common / (len(a) + len(b) - common) >= NEAR_DUPLICATE_JACCARD


def _citation_numbers(claims: list[Claim]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for claim in claims:
        numbers.setdefault(claim.hit.chunk_id, len(numbers) + 1)
    return numbers


def source_of(hit: SearchHit) -> Source:
    """Where a hit lives, as members may see it (citations, retrieved passages, the LangChain adapter)."""
    meta = hit.metadata
    page = meta.get("page")
    return Source(
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=int(page) if page is not None else None,
        source=shown_source(str(meta.get("source", ""))),
    )


def _passage(rank: int, hit: SearchHit) -> RetrievedPassage:
    return RetrievedPassage(rank=rank, chunk_id=hit.chunk_id, score=round(hit.score, 4), quote=hit.text, **source_of(hit).model_dump())
