"""The LangChain adapter: Peer Assist's retriever inside an LCEL chain, citations in the metadata."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from peerassist.retriever.langchain import PeerAssistRetriever
from peerassist.retriever.service import AnswerService


def _numbered(documents: list[Document]) -> str:
    return "\n".join(f"[{n}] {d.metadata['title']} > {d.metadata['section']}: {d.page_content}" for n, d in enumerate(documents, 1))


def test_retriever_in_an_lcel_chain_gives_cited_context(sample_settings) -> None:  # type: ignore[no-untyped-def]
    retriever = PeerAssistRetriever(service=AnswerService(sample_settings, log_queries=False), k=3)
    prompts: list[str] = []
    model = FakeListChatModel(responses=["ChestFlag is made by Lumina Imaging [1]."])
    prompt = ChatPromptTemplate.from_template("Answer from the context only.\n{context}\nQuestion: {question}")
    chain = (
        {"context": retriever | RunnableLambda(_numbered), "question": RunnablePassthrough()}
        | prompt
        | RunnableLambda(lambda value: prompts.append(value.to_string()) or value)
        | model
        | StrOutputParser()
    )

    assert chain.invoke("Which company makes ChestFlag?") == "ChestFlag is made by Lumina Imaging [1]."
    assert "Lumina Imaging" in prompts[0]  # the retrieved passage reached the model
    documents = retriever.invoke("Which company makes ChestFlag?")
    assert len(documents) == 3
    first = documents[0].metadata
    assert {"doc_id", "title", "section", "page", "source", "chunk_id", "score"} <= set(first)
    assert not first["source"].startswith("/") and documents[0].id == first["chunk_id"]


def test_members_never_retrieve_facilitator_documents(sample_settings) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(sample_settings, log_queries=False)
    restricted = {d for d, r in service.view.current().documents.items() if r.meta.get("visibility") != "member"}
    question = "What is the community's budget for 2026?"
    member = {d.metadata["doc_id"] for d in PeerAssistRetriever(service=service, k=10).invoke(question)}
    facilitator = {d.metadata["doc_id"] for d in PeerAssistRetriever(service=service, k=10, role="facilitator").invoke(question)}
    assert restricted and not member & restricted and facilitator & restricted


def test_bad_settings_are_refused(sample_settings) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(sample_settings, log_queries=False)
    with pytest.raises(ValueError, match="unknown retriever 'magic'"):
        PeerAssistRetriever(service=service, retriever="magic")
    with pytest.raises(ValueError, match="unknown role 'guest'"):
        PeerAssistRetriever(service=service, role="guest")
