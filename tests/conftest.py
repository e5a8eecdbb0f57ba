"""Shared fixtures: real Pelican builds of the real site into temp folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "plugins"))


def run_pelican(content: Path, output: Path, settings: str = "pelicanconf.py",
                **overrides) -> subprocess.CompletedProcess:
    """Build `content` into `output` the way `invoke build` does, in a fresh
    process; `overrides` become `-e KEY=json` settings."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / settings),
               "-o", str(output)]
    if overrides:
        command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)


@dataclass
class BuiltSite:
    output: Path
    log: str

    def path(self, relative: str) -> Path:
        return self.output / relative

    def soup(self, relative: str) -> BeautifulSoup:
        if relative.endswith("/") or relative == "":
            relative += "index.html"
        return BeautifulSoup(self.path(relative).read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def build(content: Path, output: Path, settings: str = "pelicanconf.py", **overrides) -> BuiltSite:
    result = run_pelican(content, output, settings, **overrides)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    """The real content/ built with pelicanconf.py, once per test session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is not beside the project")
    return corpora
