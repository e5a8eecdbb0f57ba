"""The layout is the architecture: imports flow one way.

Plugins import Pelican and the core (`hyva`), never another plugin and
never a maintainer tool; tools import the core, never a plugin; the core
imports neither. Nothing edits `sys.path`. Read from the code with `ast`,
so a new import that breaks the rule fails here, whatever it does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PLUGINS = sorted(path.name for path in (ROOT / "plugins").iterdir()
                 if (path / "__init__.py").is_file())
CORE, TOOLS = "hyva", "hyva_tools"
PYTHON_FILES = sorted(path for folder in ("plugins", CORE, TOOLS, "benchmarks", "tests")
                      for path in (ROOT / folder).rglob("*.py")) + \
    sorted(ROOT.glob("*.py"))


def imported(path: Path) -> set[str]:
    """Top-level names of the absolute imports in `path`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def forbidden(path: Path) -> set[str]:
    """What the file at `path` may not import, by where it lives."""
    layer = path.relative_to(ROOT).parts
    if layer[0] == "plugins":
        return {TOOLS, *(plugin for plugin in PLUGINS if plugin != layer[1])}
    if layer[0] == TOOLS:
        return set(PLUGINS)
    if layer[0] == CORE:
        return {TOOLS, *PLUGINS}
    return set()


def test_there_are_plugins_a_core_and_tools_to_check():
    assert {"build_errors", "case_metadata", "comments", "reader_cache"} <= set(PLUGINS)
    assert (ROOT / CORE / "cases.py").is_file() and (ROOT / TOOLS / "check").is_dir()


@pytest.mark.parametrize("path", [path for path in PYTHON_FILES if forbidden(path)],
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_flow_one_way(path):
    assert imported(path) & forbidden(path) == set()


def test_the_rule_catches_a_plugin_importing_another(tmp_path):
    plugin = ROOT / "plugins" / "comments" / "site.py"
    source = tmp_path / "site.py"
    source.write_text("from case_metadata.case_metadata import CaseReader\n", encoding="utf-8")
    assert imported(source) & forbidden(plugin) == {"case_metadata"}


def sys_path_edits(path: Path) -> list[int]:
    """Lines that touch `sys.path` (insert, append, assignment)."""
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys"]


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_nothing_edits_sys_path(path):
    assert sys_path_edits(path) == []


def test_plugins_folder_holds_only_pelican_plugins():
    for entry in (ROOT / "plugins").iterdir():
        if entry.name == "__pycache__":
            continue
        assert entry.is_dir() and (entry / "__init__.py").is_file(), entry
        source = (entry / "__init__.py").read_text(encoding="utf-8")
        assert "register" in source, f"{entry.name} has no register() for Pelican"
