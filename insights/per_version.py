"""Results that hold until the knowledge base changes: the dashboard rebuilds its topics on every
load, and asking each topic's question again (or looking for its experts) would otherwise be
repeated for every reload."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from peerassist.retriever.service import AnswerService

T = TypeVar("T")
KEPT = 5_000


class PerVersion:
    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._results: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, service: AnswerService, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`'s result for `key` at the index version `service` reads now (computed once per version)."""
        full = (id(service), service.view.current().version, key)
        with self._lock:
            if full in self._results:
                self._results.move_to_end(full)
                return self._results[full]  # type: ignore[return-value]
        result = compute()
        with self._lock:
            self._results[full] = result
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return result
