"""The offline answerer: the sentences of the community's documents that best answer the question.

It composes, it never writes: every sentence is quoted from a passage and carries its
citation, so nothing in an answer can be unsupported, and text inside a document (an
injected "ignore previous instructions") is only ever data.
"""

from __future__ import annotations

from retriever.evidence import Evidence, ScoredSentence

MAX_SENTENCES = 3
MAX_WORDS = 90
# A further sentence joins the answer only if it scores nearly as well as the best one.
FOLLOW_RATIO = 0.85


def select_sentences(evidence: Evidence) -> list[ScoredSentence]:
    best = evidence.best
    if best is None:
        return []
    chosen = [best]
    words = len(best.text.split())
    seen = {best.text.casefold()}
    for sentence in evidence.sentences[1:]:
        if len(chosen) == MAX_SENTENCES or sentence.score < FOLLOW_RATIO * best.score:
            break
        n = len(sentence.text.split())
        if sentence.text.casefold() in seen or words + n > MAX_WORDS:
            continue
        chosen.append(sentence)
        seen.add(sentence.text.casefold())
        words += n
    return chosen
