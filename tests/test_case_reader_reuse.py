"""The case reader reuses one Markdown instance for every file: what it
reads must equal what a fresh reader reads, whatever came before, errors
included."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from case_metadata.case_metadata import CaseReader
from hyva.errors import ContentError

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "compare"

EXTRAS = """\
Title: Alaviitteet ja lyhenteet
Summary: Tiivistelmä, jossa on *korostus* ja HTML-lyhenne.

Teksti, jossa on alaviite[^1] ja lyhenne HTML.

## Otsikko

| a | b |
| - | - |
| 1 | 2 |

*[HTML]: HyperText Markup Language
[^1]: Alaviitteen teksti.
"""


@pytest.fixture
def pages(tmp_path) -> list[Path]:
    """Every golden comparison form and error, then one with footnotes,
    abbreviations and a summary, and the first form again."""
    folder = tmp_path / "content" / "pages"
    folder.mkdir(parents=True)
    sources = sorted(GOLDEN.glob("*.md")) + sorted((GOLDEN / "errors").glob("*.md"))
    paths = []
    for number, source in enumerate(sources):
        path = folder / f"{number:02d}-{source.stem}.md"
        path.write_text(f"Title: {source.stem}\n\n" + source.read_text(encoding="utf-8"),
                        encoding="utf-8")
        paths.append(path)
    extras = folder / "extras.md"
    extras.write_text(EXTRAS, encoding="utf-8")
    return paths + [extras, extras, paths[0]]


def read(reader: CaseReader, path: Path):
    try:
        return reader.read(str(path))
    except ContentError as error:
        return str(error)


def test_one_reader_reads_every_file_as_a_fresh_reader_does(pages, tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(tmp_path / "content")})
    Pelican(settings)  # the plugins add their Markdown extensions
    reused = CaseReader(settings)
    expected = [read(CaseReader(settings), path) for path in pages]
    actual = [read(reused, path) for path in pages]
    assert sum(isinstance(result, str) for result in expected) >= 5, "errors are in the mix"
    assert "footnote" in expected[-2][0] and "<abbr" in expected[-2][0]
    assert "<em>korostus</em>" in expected[-2][1]["summary"]
    assert actual == expected
