"""The optional LLM answerer: fluent answers, checked sentence by sentence against the passages.

The passages go into the prompt fenced as data. What comes back is trusted only as far as
the post-check allows: a sentence without a citation, citing a passage it was not given,
or saying things its passages do not support is dropped and reported.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import TYPE_CHECKING

from peerassist.settings import Settings
from peerassist.store import SearchHit
from peerassist.prompts import load_prompt
from peerassist.retriever.draft import Claim, Draft, Part
from peerassist.retriever.evidence import EVIDENCE_PASSAGES, Evidence
from peerassist.retriever.lexical import chunk_heading
from peerassist.terms import content_terms
from peerassist.retriever.schemas import DroppedSentence
from peerassist.sentences import as_sentence, split_sentences

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

NOT_FOUND = "NOT_FOUND"
MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
FENCE = re.compile(r"<<<|>>>")
# A reply's sentences end with their markers: split after a marker that a new sentence follows.
AFTER_MARKER = re.compile(r"(?<=\])[.!?]?\s+(?=[A-Z0-9\"“(])")
TRAILING_MARKERS = re.compile(r"(\s*\[\d+(?:\s*,\s*\d+)*\])+\s*[.!?]?\s*$")
# Share of a sentence's content words that its cited passages must contain.
SUPPORT_MIN = 0.6
LLM_TIMEOUT_S = 60


def chat_model_from(settings: Settings) -> BaseChatModel | None:
    """The configured OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama ...), or None offline."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key or "unused",  # local servers ignore it; the client requires one
        temperature=0,
        timeout=LLM_TIMEOUT_S,
        max_retries=0,
    )


def fence_passages(hits: list[SearchHit]) -> str:
    """Number each passage and fence it; fence markers inside a document cannot close the fence."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        text = FENCE.sub("", hit.text)
        blocks.append(f"<<<PASSAGE {n} | {FENCE.sub('', chunk_heading(hit.metadata))}>>>\n{text}\n<<<END PASSAGE {n}>>>")
    return "\n\n".join(blocks)


class LLMAnswerer:
    def __init__(self, chat_model: BaseChatModel, prompt: str = "answer", condense_prompt: str = "condense") -> None:
        self.chat_model = chat_model
        self.prompt = load_prompt(prompt)
        self.condense_prompt = load_prompt(condense_prompt)

    def condense(self, question: str, previous: str) -> str:
        messages = self.condense_prompt.format_messages(question=question, previous=previous)
        rewritten = str(self.chat_model.invoke(messages).content).strip()
        return rewritten or question

    def draft(self, evidence: Evidence) -> Generator[str, None, Draft]:
        """Yields the reply's text as the model produces it; returns the checked draft.

        A reply that opens with NOT_FOUND yields nothing. Raises whatever the client raises when
        the endpoint fails; the caller falls back.
        """
        hits = evidence.hits[:EVIDENCE_PASSAGES]
        messages = self.prompt.format_messages(question=evidence.question, passages=fence_passages(hits))
        reply, sent = "", 0
        for chunk in self.chat_model.stream(messages):
            reply += str(chunk.content)
            head = reply.lstrip()
            if head.startswith(NOT_FOUND) or NOT_FOUND.startswith(head):
                continue  # held back until it cannot be the NOT_FOUND signal
            yield reply[sent:]
            sent = len(reply)
        if reply.strip().startswith(NOT_FOUND):
            return Draft(not_found=True)
        return check_reply(reply.strip(), hits)


def check_reply(reply: str, hits: list[SearchHit]) -> Draft:
    """Keep only sentences that cite a given passage and whose content that passage supports."""
    draft, claims = Draft(), []
    for sentence, cited in cited_sentences(reply):
        if not sentence.strip():
            continue
        text = as_sentence(sentence)
        if not cited:
            draft.dropped.append(DroppedSentence(sentence=text, reason="no citation"))
            continue
        if any(n < 1 or n > len(hits) for n in cited):
            draft.dropped.append(DroppedSentence(sentence=text, reason="cites a passage it was not given"))
            continue
        terms = content_terms(text)
        best_hit, support = max(
            ((hits[n - 1], _support(terms, hits[n - 1])) for n in cited), key=lambda pair: pair[1]
        )
        if support < SUPPORT_MIN:
            draft.dropped.append(
                DroppedSentence(sentence=text, reason=f"not supported by passage [{cited[0]}] ({support:.0%} of its words)")
            )
            continue
        claims.append(Claim(text=text, hit=best_hit, quote=_closest_sentence(terms, best_hit)))
    draft.parts = [Part(claims)] if claims else []
    return draft


def cited_sentences(reply: str) -> list[tuple[str, list[int]]]:
    """Sentences of a reply with the passage numbers each ends with ("... [1]." or "... . [1, 2]")."""
    result: list[tuple[str, list[int]]] = []
    for segment in AFTER_MARKER.split(reply.strip()):
        trailing = TRAILING_MARKERS.search(segment)
        body = segment[: trailing.start()] if trailing else segment
        cited = [int(n) for n in re.findall(r"\d+", trailing.group(0))] if trailing else []
        sentences = list(split_sentences(MARKER.sub("", body))) or [""]
        result.extend((s, []) for s in sentences[:-1])
        result.append((sentences[-1], cited))
    return result


def _support(terms: set[str], hit: SearchHit) -> float:
    if not terms:
        return 0.0
    passage = content_terms(f"{chunk_heading(hit.metadata)}\n{hit.text}")
    return len(terms & passage) / len(terms)


def _closest_sentence(terms: set[str], hit: SearchHit) -> str:
    sentences = split_sentences(hit.text) or (hit.text,)
    return max(sentences, key=lambda s: len(terms & content_terms(s)))
