"""Peer Assist's retrieval as a LangChain retriever, for communities that build their own chains.

The hybrid (or BM25 / dense) retriever with the same snapshot, audience rules and filters as
`/api/ask`, returning LangChain `Document`s whose metadata is a citation: document id, title,
section, page, the path members see, the chunk id a citation links to, and the score.

    retriever = PeerAssistRetriever(service=AnswerService(Settings()), role="member", k=4)
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | model
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.retrievers import RETRIEVERS
from peerassist.retriever.service import AnswerService, AskOptions, source_of
from peerassist.roles import ROLE_RANK


class PeerAssistRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: AnswerService
    retriever: str = Field(default="hybrid", description="hybrid, bm25 or dense")
    k: int = Field(default=5, ge=1)
    role: str = Field(default="member", description="whose view: members never get facilitator-only documents")
    tags: tuple[str, ...] = ()

    def model_post_init(self, _context: object) -> None:
        if self.retriever not in RETRIEVERS:
            raise ValueError(f"unknown retriever {self.retriever!r}; expected one of {', '.join(RETRIEVERS)}")
        if self.role not in ROLE_RANK:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLE_RANK)}")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        options = AskOptions(retriever=self.retriever, k=self.k, filter=SearchFilter(role=self.role, tags=self.tags))
        return [
            Document(
                page_content=hit.text,
                id=hit.chunk_id,
                metadata=source_of(hit).model_dump() | {"chunk_id": hit.chunk_id, "score": round(hit.score, 4)},
            )
            for hit in self.service.search(query, options)
        ]
