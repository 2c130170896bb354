"""What the repository must never carry (a clean clone is what CI and a newcomer get)."""
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tracked(*paths: str) -> list[str]:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "--", *paths], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_no_virtualenv_database_or_media_is_committed():
    # A worktree's .venv symlink was once committed: a merge then replaced the real .venv with it.
    assert tracked(".venv", "var/db.sqlite3", "media", "staticfiles", "artifacts") == []
