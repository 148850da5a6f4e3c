"""An answer before it is numbered and rendered: cited claims grouped into paragraphs and lists.

Both answerers produce one: the offline composer (`compose.py`) with the passage's own
structure, the LLM answerer as a single checked paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peerassist.store import SearchHit
from peerassist.retriever.passages import section_heading
from peerassist.retriever.schemas import DroppedSentence


@dataclass
class Claim:
    """One answer sentence (or list item), the passage it cites, and the passage's words that back it."""

    text: str
    hit: SearchHit
    quote: str

    @property
    def is_faq_question(self) -> bool:
        """The claim is its FAQ entry's own question, quoted before the reply so the reply is read as answering it."""
        return self.text.endswith("?") and self.text == section_heading(self.hit)


@dataclass
class Part:
    """A paragraph, or a list whose items stay one per line; `also` marks a second source adding to the first."""

    claims: list[Claim]
    is_list: bool = False
    ordered: bool = False
    also: bool = False


@dataclass
class Draft:
    parts: list[Part] = field(default_factory=list)
    dropped: list[DroppedSentence] = field(default_factory=list)
    not_found: bool = False

    @property
    def claims(self) -> list[Claim]:
        return [claim for part in self.parts for claim in part.claims]
