"""The layers of the design, enforced: import-linter's contracts (.importlinter) on the installed layout."""

from __future__ import annotations

import subprocess

from tests.conftest import REPO


def test_entry_points_features_and_core_keep_their_layers() -> None:
    result = subprocess.run(["bash", str(REPO / ".ci" / "lint-layers")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
