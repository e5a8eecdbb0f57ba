"""Finnish compounds split by the real Voikko (plugins/search_index/compounds.py)
and the copy of a case page Pagefind reads (search_copy.py)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_pelican, write_case
from reader_support import write_content
from search_index.compounds import DEBIAN_PACKAGES, Splitter, parts_of
from search_index.search_copy import HIDDEN_CLOSE, HIDDEN_OPEN, PARTS_CLOSE, PARTS_OPEN, CopyWriter


@pytest.fixture(scope="module")
def splitter():
    splitter = Splitter()
    yield splitter
    splitter.close()


@pytest.mark.parametrize("word, parts", [
    ("lahjakortti", ("lahja", "kortti")),
    ("lahjakortilla", ("lahja", "kortti")),
    ("Lahjakortteja", ("lahja", "kortti")),
    ("muuttofirmalle", ("muutto", "firma")),
    ("asiakaspalvelu", ("asiakas", "palvelu")),
    # Two readings with as few parts: the parts of both.
    ("asiakaspalvelusta", ("asiakas", "palvelus", "palvelu")),
    ("sähköpostiin", ("sähkö", "posti")),
    ("maksumuistutuksen", ("maksu", "muistutus")),
    ("tilausvahvistus", ("tilaus", "vahvistus")),
    ("sähköpostiosoitteet", ("sähkö", "posti", "osoite")),
    ("anteeksipyyntöjä", ("anteeksi", "pyyntö")),
    ("puhelinjonossa", ("puhelin", "jono")),
    ("palautelomakkeeseen", ("palaute", "lomake")),
    # Of Voikko's readings, the one with the fewest parts (not verkko+sivu+ilta).
    ("verkkosivuilta", ("verkko", "sivu")),
])
def test_compounds_split_into_their_parts_in_base_form(splitter, word, parts):
    assert splitter.parts(word) == parts


@pytest.mark.parametrize("word", [
    "kortti", "korttia", "asiakas", "vastasi", "julkaistu", "tyypillinen", "Helsinki",
])
def test_words_that_are_not_compounds_have_no_parts(splitter, word):
    assert splitter.parts(word) == ()


@pytest.mark.parametrize("word", ["blorglahjakortti", "zxqvortti", "Pagefind", "asdfghjkl"])
def test_words_voikko_does_not_know_stay_whole(splitter, word):
    assert splitter.voikko.analyze(word) == []
    assert splitter.parts(word) == ()


@pytest.mark.parametrize("word, tails", [
    ("lahjakortti", ("kortti",)),
    # In base form and as written: a stemmer cannot tell "kortilla" is "kortti".
    ("lahjakortilla", ("kortti", "kortilla")),
    ("sähköpostiosoitteet", ("postiosoite", "osoite", "postiosoitteet", "osoitteet")),
    ("tietosuojaviranomaiselta", ("suojaviranomainen", "viranomainen", "omainen",
                                  "suojaviranomaiselta", "viranomaiselta", "omaiselta")),
    ("asiakaspalvelusta", ("palvelus", "palvelu", "palvelusta")),
    ("kortti", ()),
    ("blorglahjakortti", ()),
])
def test_the_tails_of_a_compound_are_what_is_left_once_parts_are_taken_off(
        splitter, word, tails):
    assert splitter.tails(word) == tails


def test_derivational_endings_and_linking_pieces_stay_with_their_part():
    assert parts_of("+asiakas(asiakas)+palvel(palvella)+u(+u)") == ["asiakas", "palvelu"]
    assert parts_of("+syys+kuu(kuu)") == ["syys", "kuu"]
    assert parts_of("+vuota(vuotaa)+n+ut(+ut)") == ["vuotanut"]
    assert parts_of("+henkilökohtainen(henkilö=kohtainen)") == ["henkilö", "kohtainen"]


PAGE = "\n".join([
    '<!DOCTYPE html><html lang="fi"><head><title>x</title>',
    '<script type="application/ld+json">{"name": "Lahjakortti"}</script></head><body>',
    '<nav><a href="../">Tapaukset</a></nav>',
    '<main><article class="case" data-pagefind-body>',
    "<header><h1>Lahjakortti &amp; sen ehdot</h1>",
    '<dl class="case-facts"><dd><a href="../kanava/sahkoposti/" data-pagefind-filter="channel">'
    "sähköposti</a></dd></dl></header>",
    '<nav class="toc"><h2>Sisällys</h2><ol><li><a href="#a">Tilausvahvistus</a></li></ol></nav>',
    '<div class="case-body"><h2 id="a">Tilausvahvistus</h2>',
    '<p>Asiakas maksoi <mark class="reply-annotation"><span aria-hidden="true">[</span>'
    'lahjakortilla<span aria-hidden="true">]</span></mark>'
    '<sup class="note-ref"><a href="#n1">huomautus 1</a></sup>, ja kortti toimi.</p>',
    '<ol><li id="n1">Hyvä. <a class="note-back" href="#k1"><span aria-hidden="true">↩</span>'
    ' Takaisin kohtaan 1</a> <a href="#a">katso otsikko</a></li></ol>',
    "</div></article>",
    '<section class="comments"><p class="comment-meta">'
    '<span class="comment-author">Maija Muuttofirma</span></p>',
    '<div class="comment-text"><p>Sain sähköpostiin vastauksen.</p></div></section>',
    "</main></body></html>",
])


def parts(word: str, *added: str) -> str:
    """How the copy writes `word` followed by the parts `added`."""
    return (f'{word} <span data-pagefind-weight="0.5">'
            f'{PARTS_OPEN}{" ".join(added)}{PARTS_CLOSE}</span>')


def test_the_copy_holds_the_case_and_comment_text_with_the_parts_of_each_compound(splitter):
    copy = CopyWriter(splitter).copy(PAGE, "fi")
    assert copy.startswith('<!DOCTYPE html><html lang="fi">')
    title = '<meta data-pagefind-meta="title[content]" content="Lahjakortti &amp; sen ehdot">'
    assert title in copy
    # A part the word begins with is left out: Pagefind finds words by their beginning.
    assert parts("lahjakortilla", "kortti", "kortilla") in copy
    assert parts("sähköpostiin", "posti", "postiin") in copy
    assert "ja kortti toimi" in copy, "a word that is no compound is left as it is"
    assert f"<h2 id=\"a\"> {HIDDEN_OPEN} Tilausvahvistus" in copy
    assert copy.count(HIDDEN_OPEN) == copy.count(HIDDEN_CLOSE) == 2
    # A filter's text is its value: a compound there gets no parts.
    assert 'data-pagefind-filter="channel">sähköposti</a>' in copy
    assert "<div data-pagefind-body><div><p>Sain" in copy


def test_the_copy_leaves_out_what_is_not_text_and_names(splitter):
    copy = CopyWriter(splitter).copy(PAGE, "fi")
    for left_out in ("↩", "Takaisin kohtaan", "huomautus 1", "Sisällys", "aria-hidden",
                     "Maija", "comment-author", "ld+json", "Tapaukset"):
        assert left_out not in copy, left_out
    assert "katso otsikko" in copy, "only back links go, not every in-page link"


def test_a_page_without_a_search_body_has_no_copy(splitter):
    assert CopyWriter(splitter).copy("<html lang=fi><body><p>Lahjakortti</p></body></html>",
                                     "fi") is None


def test_the_pages_readers_get_carry_no_parts(tmp_path):
    content = write_content(tmp_path)
    write_case(content / "cases", "lahja", "Lahjakortti", "Maksoin lahjakortilla.\n")
    result = run_pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stderr
    pages = [path for path in (tmp_path / "output").rglob("*") if path.is_file()
             and path.suffix in (".html", ".xml") and "pagefind" not in path.parts]
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not set(text) & {PARTS_OPEN, PARTS_CLOSE, HIDDEN_OPEN, HIDDEN_CLOSE}, path
        assert "data-pagefind-weight" not in text, path


def installed(package: str, pattern: str) -> Path | None:
    """The first path Debian's `package` installed that matches `pattern`."""
    if not shutil.which("dpkg"):
        return None
    listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
    found = [line for line in listed.splitlines() if re.search(pattern, line)]
    return Path(found[0]) if found else None


LIBRARY = installed("libvoikko1", r"/libvoikko\.so\.1$")
DICTIONARY = installed("voikko-fi", r"/voikko$")


def build_without(hidden: Path | None, tmp_path: Path,
                  *settings: str) -> subprocess.CompletedProcess:
    """A build in a mount namespace where `hidden` is empty, as on a machine
    without the package that installs it; `settings` are `KEY=json` overrides."""
    if not shutil.which("unshare") or hidden is None:
        pytest.skip("needs unshare and Debian's libvoikko1 and voikko-fi")
    empty = tmp_path / "empty"
    if hidden.is_dir():
        empty.mkdir()
    else:
        empty.write_bytes(b"")
    content = write_content(tmp_path)
    pelican = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(tmp_path / "output")] + (["-e", *settings] if settings else [])
    command = (f"mount --bind {shlex.quote(str(empty))} {shlex.quote(str(hidden))}"
               f" && exec {shlex.join(pelican)}")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow a private mount namespace")
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", command],
                          cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("hidden", [LIBRARY, DICTIONARY], ids=["library", "dictionary"])
def test_without_voikko_the_build_fails_and_names_the_packages(tmp_path, hidden):
    result = build_without(hidden, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("Search index failed: Voikko cannot split Finnish compounds")
    assert all(package in message for package in DEBIAN_PACKAGES)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "pagefind").exists()


@pytest.mark.parametrize("setting", ["SEARCH_COMPOUNDS=false", "SEARCH_INDEX=false"])
def test_a_build_that_asks_for_no_splitting_needs_no_voikko(tmp_path, setting):
    result = build_without(LIBRARY, tmp_path, setting)
    assert result.returncode == 0, result.stderr


def test_a_compound_gets_its_parts_once_a_page_and_never_where_pagefind_skips(splitter):
    page = ('<html lang="fi"><body><article data-pagefind-body><h1>Lukuaika</h1>'
            '<dl class="case-facts"><dt>Toimiala</dt></dl>'
            "<p data-pagefind-ignore>Toimiala ei näy.</p>"
            "<p>Toimiala ja lukuaika, toimiala taas.</p></article></body></html>")
    copy = CopyWriter(splitter, [".case-facts"]).copy(page, "fi")
    assert "<dt>Toimiala</dt>" in copy and "<p data-pagefind-ignore>Toimiala ei" in copy
    assert f"<p>{parts('Toimiala', 'ala')} ja lukuaika, toimiala taas.</p>" in copy
    assert parts("Lukuaika", "aika") in copy
