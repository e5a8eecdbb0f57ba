"""Shared fixtures: real Pelican builds of the real site into temp folders."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from hyva.facets import example_values
from hyva.header import write_header

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# The support modules' fixtures (reader_site, compare_site, dovecot, sshd…)
# reach every test from here; a test module names them, never imports them.
pytest_plugins = ["reader_support", "reply_compare_support", "mail_support", "ssh_support"]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the golden files from the actual output instead of comparing")


@functools.cache
def real_settings() -> dict:
    """Pelican's settings from the real pelicanconf.py."""
    return read_settings(str(ROOT / "pelicanconf.py"))


SPEED_PLUGINS = ("reader_cache",)


def without_speed_layer() -> dict:
    """Settings overrides for a build without the speed plugins and the cache."""
    plugins = real_settings()["PLUGINS"]
    return {"PLUGINS": [name for name in plugins if name not in SPEED_PLUGINS],
            "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}


def case_text(title: str, /, body: str = "", **fields: str | None) -> str:
    """A case file's text, its header written by hyva.header: `fields`
    (lower-case keys; None leaves a line out) after the title and a date,
    then every CASE_FACETS facet, given or its first allowed value, so that
    a new facet needs no test edit."""
    header = {"title": title, "date": "2014-05-16 10:00"}
    facets = example_values(real_settings())
    header |= {key: value for key, value in fields.items() if key not in facets}
    header |= {facet: fields.get(facet, value) for facet, value in facets.items()}
    return write_header({key: value for key, value in header.items() if value is not None}) + body


def write_case(folder: Path, name: str, title: str, /, body: str = "",
               **fields: str | None) -> Path:
    """Write `folder/<name>.md` (see case_text), making the folder if needed."""
    path = Path(folder) / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case_text(title, body, **fields), encoding="utf-8")
    return path


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


PROJECT_FILES = ("tasks.py", "pelicanconf.py", "publishconf.py")
PROJECT_FOLDERS = ("content", "plugins", "theme")


def copy_project(copy: Path, content: bool = True) -> Path:
    """The project's sources copied to `copy` (the real content too, unless
    `content` is False), checkers linked in, so that tasks run there never
    touch the real content or output."""
    copy.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, copy / name)
    for name in PROJECT_FOLDERS:
        if name != "content" or content:
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with the real content (see copy_project)."""
    return copy_project(tmp_path / "project")


def invoke(project: Path, *arguments: str, **environ: str) -> subprocess.CompletedProcess:
    """`invoke <arguments>` run in `project`, with no deploy target of the caller's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HYVA_DEPLOY")}
    return subprocess.run([sys.executable, "-m", "invoke", *arguments], cwd=project,
                          capture_output=True, text=True, env={**env, **environ})


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


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (following links) with its SHA-256."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@contextmanager
def mounted_tmpfs(folder: Path, size: str):
    """A tmpfs of `size` at `folder`, for tests of a full disk (skips where
    mounting is not allowed)."""
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)

