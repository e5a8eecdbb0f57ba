"""Golden tests of the `#pattern` tags in reply notes, and of REPLY_PATTERNS.

As test_reply_compare_golden.py does: each `tests/golden/patterns/<name>.md`
must render to `<name>.html`, each `errors/<name>.md` must fail with the
message in `errors/<name>.txt`. The patterns are the small list below, so the
goldens do not depend on the real REPLY_PATTERNS; `--update-goldens` rewrites
them.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, real_settings, run_pelican
from hyva import patterns
from hyva.errors import ContentError
from hyva.settings import SettingsError, settle
from hyva.translations import interface
from reply_compare.extension import ReplyCompareExtension, labels
from reply_compare_support import compare_or_update

GOLDEN = Path(__file__).parent / "golden" / "patterns"
FORMS = sorted(GOLDEN.glob("*.md"))
ERRORS = sorted((GOLDEN / "errors").glob("*.md"))
FINNISH = interface({"THEME": str(ROOT / "theme"), "THEME_LANG": "fi"}).gettext
SITE = "https://hyvavastaus.example"
TEST_PATTERNS = {
    "syyllistäminen": {"name": "Syyllistäminen", "kind": "fault",
                       "description": "Panee asiakkaan syyksi.", "opposite": "vastuunotto"},
    "vastuunotto": {"name": "Vastuunotto", "kind": "strength",
                    "description": "Ottaa vastuun.", "opposite": "syyllistäminen"},
    "välttely": {"name": "Välttely", "kind": "fault", "description": "Väistää."},
    "korjaus": {"name": "Korjaus", "kind": "strength", "description": "Korjaa."},
    "kiitos": {"name": "Kiitos", "kind": "strength", "description": "Kiittää."},
}


def settings_with(entries: dict) -> dict:
    settings = {"REPLY_PATTERNS": entries,
                "SLUG_REGEX_SUBSTITUTIONS": real_settings()["SLUG_REGEX_SUBSTITUTIONS"]}
    settle(settings, patterns.SETTINGS)
    return settings


KNOWN = patterns.known_patterns(settings_with(TEST_PATTERNS))


def converter() -> markdown.Markdown:
    return markdown.Markdown(output_format="html5", extensions=[
        "markdown.extensions.extra",
        ReplyCompareExtension(labels=labels(FINNISH), patterns=KNOWN, site=SITE)])


@pytest.mark.parametrize("source", FORMS, ids=lambda path: path.stem)
def test_tags_render_as_golden_html(source, update_goldens):
    html = converter().convert(source.read_text(encoding="utf-8")) + "\n"
    compare_or_update(source.with_suffix(".html"), html, update_goldens)


@pytest.mark.parametrize("source", ERRORS, ids=lambda path: path.stem)
def test_tag_mistake_is_located_and_explained(source, update_goldens):
    with pytest.raises(ContentError) as raised:
        converter().convert(source.read_text(encoding="utf-8"))
    compare_or_update(source.with_suffix(".txt"), raised.value.located(source.name) + "\n",
                      update_goldens)


def notes(name: str) -> list:
    return BeautifulSoup((GOLDEN / f"{name}.html").read_text(encoding="utf-8"),
                         "html.parser").select(".reply-notes li")


def test_the_label_follows_the_patterns_and_else_the_verdict():
    kinds = [note.select_one(".note-kind").get_text() for note in notes("strength-in-bad-reply")]
    assert kinds == ["Vahvuus:", "Virhe:", "Vahvuus:", "Virhe:"]
    page = BeautifulSoup((GOLDEN / "strength-in-bad-reply.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert [mark.get_text() for mark in page.select(".reply-bad mark.note-strength")] == [
        "[Kiitos viestistäsi!]"]
    assert [mark.get_text() for mark in page.select(".reply-good mark.note-fault")] == [
        "[Muista ensi kerralla liittää kuitti.]"]


def test_tags_become_links_to_their_pages_and_leave_the_text():
    [first, second] = notes("several-tags")
    assert [(a.get_text(), a["href"]) for a in first.select(".pattern-link")] == [
        ("Välttely", f"{SITE}/fraasit/valttely/"),
        ("Syyllistäminen", f"{SITE}/fraasit/syyllistaminen/")]
    assert "#" not in first.get_text()
    # A tag named twice links once.
    assert [a.get_text() for a in second.select(".pattern-link")] == ["Vastuunotto", "Korjaus"]


def test_a_hash_before_a_digit_inside_the_text_or_escaped_is_text():
    texts = [note.get_text() for note in notes("hash-as-text")]
    assert "kohdassa #2" in texts[0] and not notes("hash-as-text")[0].select(".pattern-link")
    assert "#syyllistäminen keskellä" in texts[1]
    assert "tiketti #12 neuvoi." in texts[2]
    assert [a.get_text() for a in notes("hash-as-text")[2].select(".pattern-link")] == ["Korjaus"]
    assert "#kiitos on tekstiä" in texts[3]


def test_the_phrases_are_kept_for_the_phrasebook_and_survive_pickling():
    md = converter()
    md.convert((GOLDEN / "strength-in-bad-reply.md").read_text(encoding="utf-8"))
    phrases = pickle.loads(pickle.dumps(md.reply_phrases))
    assert phrases[0] == patterns.Phrase(
        "Kiitos viestistäsi!", "Kiittää asiakasta.", "bad", "strength", ("kiitos",),
        "Huono, mutta kohtelias", "Huonon vastauksen ainoa vahvuus", "vertailu-1-kohta-1")
    assert [(p.kind, p.patterns) for p in phrases[1:]] == [
        ("fault", ()), ("strength", ()), ("fault", ("syyllistäminen",))]
    # The extension sits in the settings, which the reader cache pickles.
    pickle.dumps(ReplyCompareExtension(labels=labels(FINNISH), patterns=KNOWN, site=SITE))


@pytest.mark.parametrize(("entries", "problem"), [
    ({"Iso": {"name": "x", "kind": "fault", "description": "x"}}, "lower-case letters"),
    ({"a b": {"name": "x", "kind": "fault", "description": "x"}}, "lower-case letters"),
    ({"x": "Virhe"}, "must be a dict"),
    ({"x": {"name": "x", "kind": "fault", "description": "x", "vastakohta": "y"}},
     "unknown key 'vastakohta'"),
    ({"x": {"name": " ", "kind": "fault", "description": "x"}}, "'name' must be"),
    ({"x": {"name": "x", "kind": "fault"}}, "'description' must be"),
    ({"x": {"name": "x", "kind": "virhe", "description": "x"}}, "'kind' must be one of"),
    ({"x": {"name": "x", "kind": "fault", "description": "x", "opposite": "y"}},
     "'y' is not a key"),
    ({"x": {"name": "x", "kind": "fault", "description": "x", "opposite": "y"},
      "y": {"name": "y", "kind": "fault", "description": "y"}}, "opposites differ in kind"),
    ({"x": {"name": "x", "kind": "fault", "description": "x", "opposite": "y"},
      "y": {"name": "y", "kind": "strength", "description": "y", "opposite": "z"},
      "z": {"name": "z", "kind": "fault", "description": "z"}}, "opposites name each other"),
])
def test_a_bad_reply_patterns_entry_is_refused_with_its_reason(entries, problem):
    with pytest.raises(SettingsError) as raised:
        settings_with(entries)
    assert problem in str(raised.value) and "REPLY_PATTERNS" in str(raised.value)


def test_the_real_patterns_are_valid_paired_and_of_both_kinds():
    known = patterns.known_patterns(settings_with(real_settings()["REPLY_PATTERNS"]))
    assert len(known) >= 10
    assert {pattern.kind for pattern in known.values()} == {"fault", "strength"}
    assert sum(1 for pattern in known.values() if pattern.opposite) >= 10
    assert len({pattern.slug for pattern in known.values()}) == len(known)


def test_a_bad_setting_stops_the_build_in_one_line(tmp_path):
    content = tmp_path / "content"
    (content / "cases").mkdir(parents=True)
    result = run_pelican(content, tmp_path / "output", REPLY_PATTERNS={"x": {"kind": "fault"}})
    assert result.returncode != 0
    assert "pelicanconf.py: REPLY_PATTERNS: the entry 'x': 'name' must be" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
