"""Golden tests of the reply comparison Markdown extension.

In the style of Python-Markdown's own extension tests: each
`tests/golden/compare/<name>.md` must render to `<name>.html`, and each
`errors/<name>.md` must fail with the message in `errors/<name>.txt`, as
the build reports it (`<file>:<line>: <problem>. Fix: <hint>`). The words
come from the site's Finnish catalogue, as in the build. `pytest
--update-goldens` writes the actual output into the golden files instead.
"""

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from hyva.errors import ContentError
from hyva.translations import interface
from reply_compare.extension import ReplyCompareExtension, labels
from reply_compare_support import compare_or_update

GOLDEN = Path(__file__).parent / "golden" / "compare"
FORMS = sorted(GOLDEN.glob("*.md"))
ERRORS = sorted((GOLDEN / "errors").glob("*.md"))
FINNISH = interface({"THEME": str(ROOT / "theme"), "THEME_LANG": "fi"}).gettext


def render(source: str, gettext=FINNISH) -> str:
    return markdown.markdown(source, output_format="html5", extensions=[
        "markdown.extensions.extra", ReplyCompareExtension(labels=labels(gettext))])


@pytest.mark.parametrize("source", FORMS, ids=lambda path: path.stem)
def test_renders_as_golden_html(source, update_goldens):
    html = render(source.read_text(encoding="utf-8")) + "\n"
    compare_or_update(source.with_suffix(".html"), html, update_goldens)


@pytest.mark.parametrize("source", ERRORS, ids=lambda path: path.stem)
def test_mistake_is_located_and_explained(source, update_goldens):
    with pytest.raises(ContentError) as raised:
        render(source.read_text(encoding="utf-8"))
    compare_or_update(source.with_suffix(".txt"), raised.value.located(source.name) + "\n",
                      update_goldens)


@pytest.mark.parametrize("source", FORMS, ids=lambda path: path.stem)
def test_no_link_holds_another_link(source):
    """A link or footnote inside a phrase stays valid: the phrase is no link."""
    page = BeautifulSoup(source.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    assert page.select("a a") == []
    assert all(link.get_text(strip=True) for link in page.find_all("a"))


def test_alone_the_extension_speaks_english():
    html = render((GOLDEN / "basic.md").read_text(encoding="utf-8"), gettext=str)
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".reply-bad .reply-verdict").get_text() == "✗ Bad reply:"
    assert page.select_one(".reply-good .reply-verdict").get_text() == "✓ Good reply:"
    assert page.select_one(".note-kind").get_text() == "Fault:"
    assert page.select_one(".note-ref").get_text() == "note 1"
    assert page.select_one(".note-back").get_text() == "↩ Back to phrase 1"


def test_every_word_comes_from_the_given_gettext():
    """Each label is looked up, none is written in the extension."""
    html = render((GOLDEN / "edits.md").read_text(encoding="utf-8").replace(
        "| Vastaus korjattuna", ""), gettext=lambda message: f"«{message}»")
    page = BeautifulSoup(html, "html.parser")
    assert page.h2.get_text() == "«Reply comparison»"
    assert page.select_one(".reply-bad .reply-verdict").get_text() == "✗ «Bad reply»:"
    assert page.select_one(".note-kind").get_text() == "«Fault»:"
    assert [label.get_text() for label in page.select(".edit-label")] == [
        "«deleted»:", "«inserted»:", "«deleted»:", "«inserted»:"]
    assert page.select_one(".note-back").get_text() == "↩ «Back to phrase 1»"


def test_the_table_of_contents_names_a_reply_without_its_shape():
    md = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.toc",
                                       ReplyCompareExtension(labels=labels(FINNISH))])
    html = md.convert((GOLDEN / "basic.md").read_text(encoding="utf-8"))
    [comparison] = md.toc_tokens
    assert [reply["name"] for reply in comparison["children"]] == [
        "Huono vastaus: Verkkokaupan vastaus", "Hyvä vastaus: Parempi vastaus"]
    assert "✗" in html and "data-toc-label" not in html
