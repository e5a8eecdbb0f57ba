"""Golden tests of the reply comparison Markdown extension.

In the style of Python-Markdown's own extension tests: each
`tests/golden/compare/<name>.md` must render to `<name>.html`, and each
`errors/<name>.md` must fail with the message in `errors/<name>.txt`, as
the build reports it (`<file>:<line>: <problem>. Fix: <hint>`).
"""

from pathlib import Path

import markdown
import pytest

from hyva.errors import ContentError
from reply_compare.extension import ReplyCompareExtension

GOLDEN = Path(__file__).parent / "golden" / "compare"
FORMS = sorted(GOLDEN.glob("*.md"))
ERRORS = sorted((GOLDEN / "errors").glob("*.md"))


def render(source: str) -> str:
    return markdown.markdown(source, output_format="html5",
                             extensions=["markdown.extensions.extra", ReplyCompareExtension()])


@pytest.mark.parametrize("source", FORMS, ids=lambda path: path.stem)
def test_renders_as_golden_html(source):
    expected = source.with_suffix(".html").read_text(encoding="utf-8")
    assert render(source.read_text(encoding="utf-8")) + "\n" == expected


@pytest.mark.parametrize("source", ERRORS, ids=lambda path: path.stem)
def test_mistake_is_located_and_explained(source):
    expected = source.with_suffix(".txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ContentError) as raised:
        render(source.read_text(encoding="utf-8"))
    assert raised.value.located(source.name) == expected


def test_labels_can_be_overridden():
    source = (GOLDEN / "basic.md").read_text(encoding="utf-8")
    html = markdown.markdown(source, extensions=[ReplyCompareExtension(
        labels={"bad": "Bad reply", "fault": "Fault"})])
    assert "Bad reply:</span> Verkkokaupan vastaus" in html
    assert '<strong class="note-kind">Fault:</strong> Läksyttää asiakasta.' in html
    assert "Hyvä vastaus:" in html
