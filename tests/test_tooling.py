"""The Makefile finds Python 3.12+ (system or pyenv) and says clearly when there is none."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "find-python.sh"


def test_find_python_finds_a_recent_python():
    found = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=True).stdout.strip()
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == "True"


def test_find_python_honours_PYTHON(tmp_path):
    env = {**os.environ, "PYTHON": sys.executable}
    found = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, check=True)
    assert found.stdout.strip() == sys.executable


def test_find_python_explains_when_none_exists(tmp_path):
    # A PATH with only coreutils-like tools and a pyenv that has no versions.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "ls", "sort", "cat"):
        target = subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
        (bin_dir / tool).symlink_to(target)
    old_python = bin_dir / "python3"
    old_python.write_text("#!/bin/bash\nexit 1\n")  # an interpreter that is too old / refuses
    old_python.chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "PYTHON_SEARCH_DIRS": str(tmp_path)}
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
