"""Fixed interface strings are translated once, when a template is compiled."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from conftest import ROOT
from hyva.translations import load_translations
from theme_locale.theme_locale import TranslatedLiterals

TRANSLATIONS = load_translations(str(ROOT / "theme" / "translations"), "fi")
TEMPLATES = [
    '{{ _("Skip to content") }}',
    '<a title="{{ _(\'Main menu\') }}">{{ _("Tags")|upper }}</a>',
    '{{ _("Comments on %(title)s (Atom)", title="Lasku") }}',
    '{{ _("Page %(num)d of %(total)d", num=(1 + 1), total=[3, 4]|length) }}',
    '{{ _("in common: %(terms)s", terms=["a<b", "c"]|join(", ")|e) }}',
    '{{ _("Comment by %(name)s", name="x", ) }}',
    '{{ _("Not in the catalogue: %(name)s", name={"a": 1}["a"]) }}',
    '{{ _("Not in the catalogue, 100%%") }}',
    '{% set label = "Tags" %}{{ _(label) }}',
    "{{ ngettext('%(num)d minute', '%(num)d minutes', 3) }}",
]


def environment(fold: bool, autoescape: bool = False) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    env.install_gettext_translations(TRANSLATIONS, newstyle=True)
    if fold:
        env.extend(theme_translations=TRANSLATIONS)
        env.add_extension(TranslatedLiterals)
    return env


@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("autoescape", [False, True])
def test_folding_renders_what_gettext_renders(source, autoescape):
    folded = environment(fold=True, autoescape=autoescape).from_string(source).render()
    assert folded == environment(fold=False, autoescape=autoescape).from_string(source).render()


def test_a_literal_becomes_its_translation_in_the_compiled_template():
    code = environment(fold=True).compile('{{ _("Skip to content") }}', raw=True)
    assert TRANSLATIONS.gettext("Skip to content") in code
    assert TRANSLATIONS.gettext("Skip to content") != "Skip to content"
    assert "'_'" not in code


def test_keyword_arguments_are_formatted_into_the_translation():
    code = environment(fold=True).compile('{{ _("Page %(num)d of %(total)d", num=2, total=3) }}',
                                          raw=True)
    assert TRANSLATIONS.gettext("Page %(num)d of %(total)d") in code
    assert "'_'" not in code


def test_calls_with_variables_or_positional_arguments_stay_calls():
    env = environment(fold=True)
    assert "'_'" in env.compile("{{ _(label) }}", raw=True)
    assert "'_'" in env.compile('{{ _("Page %(num)s", 2) }}', raw=True)


def test_autoescaping_templates_are_left_to_gettext():
    code = environment(fold=True, autoescape=True).compile('{{ _("Skip to content") }}', raw=True)
    assert "'_'" in code


@pytest.mark.parametrize(("lang", "title"), [("fi", "Takaisin alaviitteen 1 kohtaan tekstissä"),
                                             ("en", "Jump back to footnote 1 in the text")])
def test_markdown_extensions_speak_the_interface_language(tmp_path, lang, title):
    from conftest import build, write_case

    write_case(tmp_path / "content" / "cases", "viite", "Viite",
               "Teksti, jossa on alaviite.[^1]\n\n[^1]: Alaviitteen teksti.\n")
    built = build(tmp_path / "content", tmp_path / "output", THEME_LANG=lang,
                  SEARCH_INDEX=False)
    assert built.soup("viite/").select_one("a.footnote-backref")["title"] == title
