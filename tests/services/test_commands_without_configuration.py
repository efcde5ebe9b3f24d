"""A content author's first commands work in a fresh clone without production settings; a command that needs
them says which are missing in one line (issue #18)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def run(*args: str) -> subprocess.CompletedProcess:
    """Run a command from the project folder with no LMS settings at all in the environment."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "FLASK_APP": "wsgi"}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_flask_content_check_needs_no_settings():
    result = run(FLASK, "content", "check", "content/modules")
    assert result.returncode == 0, result.stderr
    assert "18 module(s)" in result.stdout and "no problems" in result.stdout and "Traceback" not in result.stderr


def test_make_check_content_needs_no_settings():
    result = run("make", "--no-print-directory", "check-content")
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_a_command_that_needs_settings_names_them_in_one_line():
    for command in (["users", "create", "nguoi-moi", "--name", "Người mới"], ["db", "upgrade"]):
        result = run(FLASK, *command)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "SECRET_KEY, DATABASE_URL, PUBLIC_BASE_URL" in lines[0] and "LMS_CONFIG=development" in lines[0]
