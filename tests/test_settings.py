"""Each plugin owns its settings: a default when one is missing, and a
clear stop when one has the wrong shape, before anything is built."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, run_pelican


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("SEARCH_INDEX", "yes", "pelicanconf.py: SEARCH_INDEX must be True or False, not 'yes'"),
    ("DATE_STYLE", "huge", "pelicanconf.py: DATE_STYLE: must be one of short, medium, long"),
    ("THEME_LANG", "xx", "pelicanconf.py: THEME_LANG: "),
    ("READING_WORDS_PER_MINUTE", 0, "pelicanconf.py: READING_WORDS_PER_MINUTE: must be at least 1"),
    ("COMMENT_FEED_ATOM", 5, "pelicanconf.py: COMMENT_FEED_ATOM must be a path with {slug}"),
    ("CASE_FACETS", {"channel": {"label": "Channel"}},
     "pelicanconf.py: CASE_FACETS['channel']['title'] must be"),
], ids=lambda value: str(value)[:20])
def test_a_setting_of_the_wrong_shape_stops_the_build_with_its_name(tmp_path, setting,
                                                                    value, said):
    result = run_pelican(ROOT / "content", tmp_path / "output", **{setting: value})
    assert result.returncode == 1
    assert said in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "output" / "index.html").exists()


def test_plugin_defaults_fill_in_what_pelicanconf_leaves_out(tmp_path):
    """A settings file without the plugins' settings still builds."""
    settings = tmp_path / "minimal.py"
    kept = [line for line in (ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines()
            if not line.startswith(("READING_WORDS_PER_MINUTE", "TOC_MIN_", "RELATED_CASES_MAX",
                                    "OG_LOCALE", "SEARCH_INDEX", "SEARCH_EXCLUDE_SELECTORS",
                                    "COMMENT_FEED_", "DATE_STYLE", "THEME_LANG"))]
    settings.write_text("\n".join(kept) + f"\nPATH = {str(ROOT / 'content')!r}\n"
                        f"THEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pelican", "-s", str(settings), "-o",
                             str(tmp_path / "output"), "-e", "SEARCH_INDEX=false"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "output" / "kiitos-jai-ilman-vastausta" / "index.html").read_text(
        encoding="utf-8")
    # READING_WORDS_PER_MINUTE and COMMENT_FEED_ATOM from the plugins' defaults.
    assert "<dt>Lukuaika</dt><dd>" in page
    assert "feeds/kommentit/kiitos-jai-ilman-vastausta.atom.xml" in page
