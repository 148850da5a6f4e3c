"""Importing a library while its optional accelerators look absent.

Some libraries import an optional backend at import time just in case: thinc (under spaCy)
imports torch, bm25s imports numba. Neither is used here (spaCy's small English model runs on
numpy; BM25 scoring uses bm25s's numpy backend), and together they cost about 1.4 s of a
command-line answer. While such a library is first imported, its optional modules are made to
fail to import (the library catches that); they import normally afterwards. A module already
loaded is left alone.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def import_without(name: str, optional: tuple[str, ...]) -> ModuleType:
    with _lock:
        if name in sys.modules:
            return sys.modules[name]
        blocked = [module for module in optional if module not in sys.modules]
        for module in blocked:
            sys.modules[module] = None  # type: ignore[assignment]  # makes `import module` raise ImportError
        try:
            return importlib.import_module(name)
        finally:
            for module in blocked:
                if sys.modules.get(module, ...) is None:
                    del sys.modules[module]
