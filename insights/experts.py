""""Who knows this?": up to three people likely to answer a question or a gap topic, each with why.

Three kinds of evidence, from the passages nearest the question (a facilitator's view):
- the authors of the nearest documents ("wrote *Sepsis alert FAQ*"; a chat or mailing-list
  thread credits the people who answered in it);
- members whose approved community answers are nearest ("answered 2 community questions
  on this");
- people the documents name as the lead or contact for it ("named as contact in *How to join*").
Nearer passages count more; a person found several ways ranks higher.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pydantic import BaseModel

from peerassist import community
from peerassist.retriever.answer_type import entities
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.passages import candidate_units
from peerassist.insights.per_version import PerVersion
from peerassist.retriever.service import AnswerService, AskOptions

MAX_EXPERTS = 3
NEAREST_PASSAGES = 8
# A sentence that names someone as responsible for something, not merely mentions them.
ROLE_WORDS = re.compile(
    r"\b(lead|leads|led by|contact|coordinator|coordinates|chair|chairs|owner|owns|responsible|runs|run by|manages|"
    r"managed by|secretary|facilitator|email|e-mail|ask|ring|call)\b",
    re.IGNORECASE,
)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx)\.?\s+", re.IGNORECASE)
# Passages less similar than this to the question say nothing about who knows it (measured on the
# sample knowledge base: its topics score 0.43-0.71, questions it has nothing on 0.08-0.38).
RELEVANT_SIMILARITY = 0.4
WEIGHTS = {"wrote": 1.0, "answered": 1.2, "named": 0.8}


class Expert(BaseModel):
    name: str
    reasons: list[str]  # why, most telling first
    score: float


_KNOWN = PerVersion()


def experts(service: AnswerService, text: str) -> list[Expert]:
    """The people most likely to know the answer to `text` (a question, or a topic's label and examples)."""
    # Approved answers count too: their number is part of the key, so a new approval is seen at once.
    approved = community.approved_per_author(service.index.db)
    return _KNOWN.get(service, (text, sum(approved.values())), lambda: _experts(service, text, approved))


def _experts(service: AnswerService, text: str, approved: Counter[str]) -> list[Expert]:
    # Facilitators read these (dashboard, reports): admin-only documents are not shown to them.
    hits = service.search(text, AskOptions(k=NEAREST_PASSAGES, filter=SearchFilter(role="facilitator"), log=False))
    hits = [h for h in hits if h.signals.get("dense", 0.0) >= RELEVANT_SIMILARITY]
    scores: dict[str, float] = defaultdict(float)
    reasons: dict[str, dict[str, float]] = defaultdict(dict)
    shown: dict[str, str] = {}

    def credit(name: str, kind: str, reason: str, rank: int) -> None:
        key = person_key(name)
        if not key or key in {"a community member", "a facilitator", "someone"}:
            return
        weight = WEIGHTS[kind] / rank
        display = " ".join(name.split())
        if len(display) > len(shown.get(key, "")):
            shown[key] = display  # "Dr. Felix Adeyemi" over "Felix Adeyemi"
        scores[key] += weight
        reasons[key][reason] = max(reasons[key].get(reason, 0.0), weight)

    for rank, hit in enumerate(hits, start=1):
        meta = hit.metadata
        title = str(meta.get("title", ""))
        is_answer = community.COMMUNITY_TAG in (meta.get("tags") or [])
        for author in AUTHOR_SPLIT.split(str(meta.get("author") or "")):
            if is_answer:
                n = approved.get(author, 1)
                credit(author, "answered", f"answered {n} community question{'s' if n != 1 else ''}, nearest “{title}”", rank)
            else:
                credit(author, "wrote", f"wrote “{title}”", rank)
        for unit in candidate_units(hit):
            if ROLE_WORDS.search(unit.text):
                for name, label in entities(unit.text):
                    words = [w for w in name.split() if not ROLE_WORDS.fullmatch(w)]  # "Email Marek" -> "Marek"
                    if label == "PERSON" and words:
                        credit(" ".join(words), "named", f"named in “{title}”: {unit.text[:120]}", rank)
    _merge_first_names(scores, reasons, shown)
    ranked = sorted(scores, key=lambda k: (-scores[k], shown[k]))[:MAX_EXPERTS]
    return [
        Expert(name=shown[k], reasons=sorted(reasons[k], key=lambda r: -reasons[k][r])[:2], score=round(scores[k], 3))
        for k in ranked
    ]


def person_key(name: str) -> str:
    """A person's name compared without titles, case or spacing ("Dr. Felix Adeyemi" ~ "felix adeyemi")."""
    name = " ".join(name.split())
    while (stripped := HONORIFIC.sub("", name)) != name:
        name = stripped
    return name.casefold()


def _merge_first_names(scores: dict[str, float], reasons: dict[str, dict[str, float]], shown: dict[str, str]) -> None:
    """A lone first name joins the one full name it starts (if exactly one); otherwise it is too vague to suggest."""
    for key in [k for k in scores if " " not in k]:
        matches = [k for k in scores if " " in k and k.split()[0] == key]
        if len(matches) == 1:
            scores[matches[0]] += scores[key]
            for reason, weight in reasons[key].items():
                reasons[matches[0]][reason] = max(reasons[matches[0]].get(reason, 0.0), weight)
        del scores[key], reasons[key], shown[key]
