"""Pagefind starts once the last case page is written, while Pelican writes
the rest of the site, and a build that fails after that leaves nothing of
it behind."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, real_settings, run_pelican
from reader_support import write_content

# A plugin that, once every listing and feed of the articles is written,
# notes whether Pelican's process already has Pagefind as a child.
PROBE = '''
import os
from pathlib import Path
from pelican import signals

def children():
    names = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            name = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            names.append(name)
    return names

def note(generator, writer):
    Path(os.environ["PROBE_FILE"]).write_text(" ".join(children()))

def register():
    signals.article_writer_finalized.connect(note)
'''


def with_probe(tmp_path: Path) -> dict:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "__init__.py").write_text(PROBE, encoding="utf-8")
    settings = real_settings()
    return {"PLUGIN_PATHS": [str(ROOT / "plugins"), str(tmp_path)],
            "PLUGINS": [*settings["PLUGINS"], "probe"]}


def test_pagefind_indexes_while_the_listings_are_written(tmp_path, monkeypatch):
    probe = tmp_path / "children"
    monkeypatch.setenv("PROBE_FILE", str(probe))
    result = run_pelican(write_content(tmp_path), tmp_path / "output", **with_probe(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "pagefind" in probe.read_text()
    assert (tmp_path / "output" / "pagefind" / "pagefind-entry.json").is_file()


def test_without_the_search_index_pagefind_never_starts(tmp_path, monkeypatch):
    probe = tmp_path / "children"
    monkeypatch.setenv("PROBE_FILE", str(probe))
    result = run_pelican(write_content(tmp_path), tmp_path / "output", SEARCH_INDEX=False,
                         **with_probe(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "pagefind" not in probe.read_text()
    assert not (tmp_path / "output" / "pagefind").exists()


def test_a_build_failing_after_the_case_pages_leaves_no_index_run_behind(tmp_path, monkeypatch):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    tag = theme / "templates" / "tag.html"
    tag.write_text("{{ no_such_function() }}\n" + tag.read_text(encoding="utf-8"), encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    output = tmp_path / "output"
    result = run_pelican(write_content(tmp_path), output, THEME=str(theme))
    assert result.returncode != 0
    assert any("data-pagefind-body" in page.read_text(encoding="utf-8")
               for page in output.glob("*/index.html"))
    assert list(temporary.iterdir()) == []
    running = [path for path in Path("/proc").glob("[0-9]*/cmdline")
               if str(temporary).encode() in _read(path)]
    assert running == []
    assert not list(tmp_path.glob("cache/**/pagefind-*/.complete"))
    assert not (output / "pagefind").exists()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
