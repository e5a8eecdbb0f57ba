"""A small site of cases built from the golden comparison sources.

The reply comparison tests use their own cases, so they do not depend on
the wording of the real content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build, case_text

GOLDEN = Path(__file__).parent / "golden" / "compare"


@pytest.fixture
def update_goldens(request) -> bool:
    """`pytest --update-goldens`: write the actual output into the golden files."""
    return request.config.getoption("--update-goldens")


def compare_or_update(golden: Path, actual: str, update: bool) -> None:
    if update:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def case_header(title: str, outcome: str = "huono") -> str:
    return case_text(title, date="2021-03-04 10:00", category="Testit", tags="vertailu",
                     summary=f"{title}.", outcome=outcome)


HEADER_LINES = case_header("x").count("\n")


def golden_source(name: str) -> str:
    return (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


def write_case(cases: Path, slug: str, title: str, body: str) -> Path:
    case = cases / f"{slug}.md"
    case.write_text(case_header(title) + body, encoding="utf-8")
    return case


def content_folder(root: Path) -> Path:
    content = root / "content"
    (content / "cases").mkdir(parents=True)
    (content / "pages").mkdir()
    return content


@pytest.fixture(scope="session")
def compare_site(tmp_path_factory):
    """A case with comparisons (basic, edits, three replies) and one without."""
    root = tmp_path_factory.mktemp("compare-site")
    content = content_folder(root)
    body = "Johdanto.\n\n" + "\n".join(
        golden_source(name) for name in ("basic", "edits", "three-replies"))
    write_case(content / "cases", "vertailuja", "Vertailuja", body)
    write_case(content / "cases", "ilman-vertailua", "Ilman vertailua", "Pelkkää tekstiä.\n")
    return build(content, root / "output")
