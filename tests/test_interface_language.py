"""One localisation route: every word of the interface comes from the theme's
catalogues of THEME_LANG, so an English build shows no Finnish interface word.

The content itself stays Finnish; the scan reads only what the theme and the
plugins write around it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from conftest import ROOT, build, real_settings
from hyva import commentfile
from hyva.cases import comments_root
from reply_compare.extension import MESSAGES

TRANSLATIONS = ROOT / "theme" / "translations"
# Words a reader saw in Finnish in English builds before, besides every
# Finnish translation in the catalogues.
KNOWN_FINNISH = ["Huono vastaus", "Hyvä vastaus", "Virhe:", "Vahvuus:", "Nimetön", "Takaisin",
                 "poistettu", "lisätty", "Kommentoi", "huomautus", "Vastausvertailu"]
# Where authors write: case and page text, comments. Inside a case, the
# comparison's own words are interface and are kept. The phrasebook quotes
# phrases and notes, and describes the patterns, in the content's language.
CONTENT = ".case-body, article.page, .search-intro, .comment-text, code, .phrasebook-content"
COMPARISON_WORDS = ".reply-verdict, .note-kind, .edit-label, .note-ref, .note-back"
SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation over all of a language's .po files (a plural
    message by its singular, with its forms joined)."""
    messages = {}
    for po_file in sorted((TRANSLATIONS / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string:
                    plural = isinstance(message.id, tuple)
                    messages[message.id[0] if plural else message.id] = (
                        " ".join(message.string) if plural else message.string)
    return messages


def finnish_words() -> re.Pattern:
    """KNOWN_FINNISH and the pieces of each Finnish translation that no
    English translation holds, as whole words."""
    english = " ".join(catalogue("en").values())
    words = set(KNOWN_FINNISH)
    for translation in catalogue("fi").values():
        for piece in re.split(r"%\(\w+\)[sd]|<[^>]*>", translation):
            piece = piece.strip(" :;,.()[]”“")
            if len(piece) >= 4 and piece not in english:
                words.add(piece)
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def commenter_names() -> set[str]:
    """Names commenters gave: content, whatever their language."""
    names = set()
    for _, files in commentfile.comment_folders(comments_root(real_settings()), lambda _: False):
        names |= {commentfile.load(path).author for path in files}
    return names - {""}


def interface_text(html: str, names: set[str]) -> str:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style"]):
        hidden.decompose()
    shown = [value for element in page.find_all(True)
             for name, value in element.attrs.items()
             if name in SHOWN_ATTRIBUTES or name.startswith("data-")]
    for content in page.select(CONTENT):
        words = " ".join(element.get_text(" ") for element in content.select(COMPARISON_WORDS))
        content.clear()
        content.append(words)
    text = " ".join([*map(str, shown), page.get_text(" ")])
    for name in names:
        text = text.replace(name, " ")
    return " ".join(text.split())


@pytest.fixture(scope="session")
def english_site(tmp_path_factory):
    """The real content with the English interface. The site's name is a
    Finnish phrase that is also a label ("Hyvä vastaus"), so this build
    names the site in English to keep the two apart."""
    return build(ROOT / "content", tmp_path_factory.mktemp("english"), THEME_LANG="en",
                 SITENAME="Good Reply", SITESUBTITLE="Customer service cases",
                 SEARCH_INDEX=False)


def test_no_page_shows_a_finnish_interface_word(english_site):
    finnish, names = finnish_words(), commenter_names()
    found = {}
    for path in english_site.html_files():
        html = path.read_text(encoding="utf-8")
        assert BeautifulSoup(html, "html.parser").html["lang"] == "en", path
        for word in finnish.findall(interface_text(html, names)):
            found.setdefault(word, []).append(str(path.relative_to(english_site.output)))
    assert len(english_site.html_files()) > 50
    assert found == {}


def test_the_scan_finds_finnish_words_in_the_interface(site):
    """The same scan over the Finnish build finds the words it looks for."""
    page = site.path("maksumuistutus-ja-saarna/index.html").read_text(encoding="utf-8")
    found = set(finnish_words().findall(interface_text(page, commenter_names())))
    assert {"Huono vastaus", "Virhe:", "Vahvuus:", "poistettu", "lisätty", "huomautus",
            "Takaisin kohtaan", "Kommentoi sähköpostilla", "Päävalikko",
            "Siirry sisältöön"} <= found


def test_comparison_speaks_english(english_site):
    comparison = english_site.soup("maksumuistutus-ja-saarna/").select_one(".reply-compare")
    verdicts = [verdict.get_text() for verdict in comparison.select(".reply-verdict")]
    assert verdicts[:2] == ["✗ Bad reply:", "✓ Good reply:"]
    kinds = {kind.get_text() for kind in comparison.select(".note-kind")}
    assert kinds == {"Fault:", "Strength:"}
    assert {label.get_text() for label in comparison.select(".edit-label")} == {
        "deleted:", "inserted:"}
    assert comparison.select_one(".note-ref").get_text() == "note 1"
    assert comparison.select_one(".note-back").get_text() == "↩ Back to phrase 1"


ANONYMOUS_CASE = "uutiskirje-paljasti-osoitteet/"


def test_a_comment_without_author_line_is_shown_as_anonymous(site, english_site):
    def authors(built):
        return [name.get_text() for name in built.soup(ANONYMOUS_CASE).select(".comment-author")]

    assert "Nimetön" in authors(site)
    assert "Anonymous" in authors(english_site)
    assert "Nimetön" not in authors(english_site)


def test_comment_file_without_author_reads_and_writes_back_without_one():
    text = ("Id: a1\nCase: kiitos\nDate: 2014-05-17T08:12:00+03:00\n\nKiitos.\n")
    comment = commentfile.loads(text)
    assert comment.author == ""
    assert comment.dumps() == text


def test_pybabel_extracts_facet_labels_and_plugin_words(tmp_path):
    template = tmp_path / "messages.pot"
    inputs = ["theme", "pelicanconf.py", *sorted(str(path.relative_to(ROOT))
                                                 for path in ROOT.glob("plugins/*/*.py"))]
    result = subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract",
                             "-F", "theme/babel.cfg", "-o", str(template), *inputs],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with template.open("rb") as handle:
        extracted = {message.id: message.locations for message in read_po(handle) if message.id}
    facet_words = [spec[key] for spec in real_settings()["CASE_FACETS"].values()
                   for key in ("label", "title")]
    for word in facet_words:
        assert ("pelicanconf.py" in {path for path, _ in extracted[word]}), word
    plugin_words = [*MESSAGES.values(), "Anonymous"]
    assert set(plugin_words) <= set(extracted)
    for lang in ("fi", "en"):
        assert set(facet_words + plugin_words) <= set(catalogue(lang)), lang
