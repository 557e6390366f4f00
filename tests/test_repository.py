"""The repository stays small and clean: no tracked file over 1 MB (binaries, wheels and
downloads do not belong in git), and the code passes the linter configured in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.settings import PROJECT_ROOT

MAX_TRACKED_BYTES = 1024 * 1024
# Files allowed over the limit, each with its reason (none today).
LARGE_FILES_ALLOWED: dict[str, str] = {}


def _tracked_files() -> list[str]:
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


def test_no_tracked_file_is_over_one_megabyte():
    too_big = {name: (PROJECT_ROOT / name).stat().st_size for name in _tracked_files()
               if (PROJECT_ROOT / name).is_file() and (PROJECT_ROOT / name).stat().st_size > MAX_TRACKED_BYTES
               and name not in LARGE_FILES_ALLOWED}
    assert not too_big, f"tracked files over 1 MB (list them in LARGE_FILES_ALLOWED with a reason): {too_big}"


def test_the_code_passes_the_linter():
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed (make test installs requirements-dev.txt)")
    result = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fetched_package_is_kept_only_when_its_integrity_hash_matches(tmp_path, capsys):
    from bot.ops.integrity import integrity, main

    package = tmp_path / "paquet.tgz"
    package.write_bytes(b"contenu du paquet")
    good = integrity(package)
    assert good.startswith("sha512-") and main([str(package), good]) == 0
    package.write_bytes(b"contenu altere")
    assert main([str(package), good]) == 1
    assert "Empreinte inattendue" in capsys.readouterr().err


def test_the_integrity_check_explains_its_usage(capsys):
    from bot.ops.integrity import main

    assert main([]) == 2 and "Usage" in capsys.readouterr().err
