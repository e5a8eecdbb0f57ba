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


# --- Serving a built site and driving real headless Chromium -------------

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def served_site(site):
    """The session's built site over HTTP on 127.0.0.1 (a random free port)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (it cannot download browsers here)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (./dev.sh test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (from node_modules) in the page; WCAG 2.x A and AA rules."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}))
             .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
