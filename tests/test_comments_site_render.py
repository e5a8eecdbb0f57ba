"""Comment text to HTML: golden cases (plain text in, exact HTML out) and the
XSS corpus, every payload of which must come out as inert text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from hyva.commentrender import comment_html

GOLDEN = {
    "one paragraph": (
        "Hienoa että laitoit palautetta!",
        "<p>Hienoa että laitoit palautetta!</p>",
    ),
    "paragraphs and line breaks": (
        "Hei!\n\nKiitos vastauksesta.\nTerveisin Maija\n\n\n\nPS. Vielä yksi asia.",
        "<p>Hei!</p>\n<p>Kiitos vastauksesta.<br>\nTerveisin Maija</p>\n"
        "<p>PS. Vielä yksi asia.</p>",
    ),
    "windows line endings and blank lines with spaces": (
        "Eka.\r\n  \r\nToka.",
        "<p>Eka.</p>\n<p>Toka.</p>",
    ),
    "markup is text": (
        "<b>lihavoitu</b> & <script>alert(1)</script>",
        "<p>&lt;b&gt;lihavoitu&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ),
    "markdown is text": (
        "**ei lihavoitu** [linkki](https://example.org)",
        '<p>**ei lihavoitu** [linkki](<a href="https://example.org" rel="nofollow ugc">'
        "https://example.org</a>)</p>",
    ),
    "web address with query, trailing full stop": (
        "Katso https://example.org/haku?q=a&s=2.",
        '<p>Katso <a href="https://example.org/haku?q=a&amp;s=2" rel="nofollow ugc">'
        "https://example.org/haku?q=a&amp;s=2</a>.</p>",
    ),
    "www address gets http": (
        "Lue lisää: www.example.fi/ohje",
        '<p>Lue lisää: <a href="http://www.example.fi/ohje" rel="nofollow ugc">'
        "www.example.fi/ohje</a></p>",
    ),
    "bare domain gets http": (
        "Katso kela.fi/ohje ja sivu",
        '<p>Katso <a href="http://kela.fi/ohje" rel="nofollow ugc">kela.fi/ohje</a> ja sivu</p>',
    ),
    "address in parentheses": (
        "(ks. https://example.org/a)",
        '<p>(ks. <a href="https://example.org/a" rel="nofollow ugc">https://example.org/a</a>)</p>',
    ),
    "no mail, ftp or script links": (
        "[osoite poistettu] mailto:x ftp://example.org/f javascript:alert(1)",
        "<p>[osoite poistettu] mailto:x ftp://example.org/f javascript:alert(1)</p>",
    ),
    "quote in an address stays inside the attribute": (
        'https://example.org/"onmouseover="alert(1)',
        '<p><a href="https://example.org/&quot;onmouseover=&quot;alert(1)" rel="nofollow ugc">'
        'https://example.org/"onmouseover="alert(1)</a></p>',
    ),
    "empty text": ("  \n\n ", ""),
}


@pytest.mark.parametrize("text, expected", GOLDEN.values(), ids=GOLDEN.keys())
def test_golden(text, expected):
    assert comment_html(text) == expected


ALLOWED = {"p": set(), "br": set(), "a": {"href", "rel"}}


def assert_inert(html: str) -> None:
    """Only p, br and a; links only to http(s) and marked nofollow ugc."""
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert tag.name in ALLOWED, tag
        assert set(tag.attrs) <= ALLOWED[tag.name], tag
        if tag.name == "a":
            assert tag["href"].startswith(("http://", "https://")), tag
            assert tag["rel"] == ["nofollow", "ugc"], tag


def xss_payloads(corpora):
    files = sorted((corpora / "xss").glob("*.txt"))
    assert files, "no XSS payload files in the shared corpora"
    for path in files:
        text = path.read_text(encoding="utf-8")
        yield path.name, text
        yield from ((f"{path.name}:{n}", line) for n, line in enumerate(text.splitlines(), 1)
                    if line.strip())


def test_every_xss_payload_renders_inert(shared_corpora):
    for name, payload in xss_payloads(shared_corpora):
        html = comment_html(payload)
        try:
            assert_inert(html)
        except AssertionError as error:
            raise AssertionError(f"{name}: {payload!r} -> {html!r}") from error
        # Nothing the payload wrote is lost or turned into markup: the text
        # a reader sees is the payload itself.
        shown = BeautifulSoup(html, "html.parser").get_text()
        assert "".join(shown.split()) == "".join(payload.replace("\0", "").split()), name
