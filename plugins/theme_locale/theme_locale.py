"""Interface language and Finnish dates for the theme, without OS locales.

The build machine may have only the C locale, so `strftime` cannot name
Finnish months. Babel knows them from CLDR data; it also reads the theme's
gettext catalogues (hyva.translations) into Jinja.

A build has one interface language, so `_("literal")` is translated once,
when a template is compiled, instead of on every page (`TranslatedLiterals`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from jinja2.ext import Extension
from jinja2.lexer import Token
from pelican import signals

from hyva.settings import Setting, SettingsError, settle
from hyva.translations import interface

DATE_STYLES = ("short", "medium", "long", "full")
SETTINGS = {
    "THEME_LANG": Setting("fi", str, "a language with a catalogue in theme/translations/"),
    "DATE_STYLE": Setting("long", str, f"one of {', '.join(DATE_STYLES)}",
                          lambda style: None if style in DATE_STYLES
                          else f"must be one of {', '.join(DATE_STYLES)}"),
}


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)
    try:
        interface(pelican.settings)
    except FileNotFoundError as missing:
        raise SettingsError(f"THEME_LANG: {missing}") from None


def translate_markdown_words(pelican) -> None:
    """The words Python-Markdown's own extensions write into a case (the
    footnote back-link's title, the [TOC] marker's title), in THEME_LANG."""
    gettext = interface(pelican.settings).gettext
    configs = pelican.settings["MARKDOWN"].setdefault("extension_configs", {})
    extra = configs.setdefault("markdown.extensions.extra", {})
    extra.setdefault("footnotes", {})["BACKLINK_TITLE"] = gettext(
        "Jump back to footnote {} in the text")
    configs.setdefault("markdown.extensions.toc", {})["title"] = gettext("Contents")


def reader_date(value, style: str, lang: str) -> str:
    """`16. toukokuuta 2014` for THEME_LANG fi, `May 16, 2014` for en.

    Only the day is shown, so the cache is keyed by the day: every case has
    its own time of publishing, but many share a day, and every listing
    shows the same dates again. Babel's formatting is the costly part of
    rendering a summary."""
    return _day(value.date() if isinstance(value, datetime) else value, style, lang)


@lru_cache(maxsize=8192)
def _day(day: date, style: str, lang: str) -> str:
    return format_date(day, style, locale=_locale(lang))


@cache
def _locale(lang: str) -> Locale:
    """Parsed once: given the name, Babel parses it on every call, which
    was most of the time of formatting a date."""
    return Locale.parse(lang)


class TranslatedLiterals(Extension):
    """Translates `_("literal")` as a template is compiled.

    Jinja's newstyle gettext runs through three calls and a context lookup on
    every render, and most calls are for a few dozen fixed strings.
    `_("literal")` becomes its
    translation and `_("literal %(name)s", name=value)` becomes
    `("translation %(name)s" % dict(name=value))`: what newstyle gettext
    returns. A literal it would fail on, a variable or positional argument,
    and any template that autoescapes are left to Jinja at render time.
    """

    def filter_stream(self, stream):
        tokens = list(stream)
        position = 0
        while position < len(tokens):
            folded = self._folded(tokens, position)
            if folded is None:
                yield tokens[position]
                position += 1
            else:
                replacement, position = folded
                yield from replacement

    def _folded(self, tokens, position):
        """(replacement tokens, position after the call), or None."""
        head = tokens[position:position + 3]
        if (self.environment.autoescape or len(head) < 3
                or [token.type for token in head] != ["name", "lparen", "string"]
                or head[0].value != "_" or (position and tokens[position - 1].type == "dot")):
            return None
        end = _closing_paren(tokens, position + 1)
        arguments = tokens[position + 3:end]
        if end is None or not _keywords_only(arguments):
            return None
        try:
            text = self.environment.theme_translations.gettext(head[2].value)
            if not arguments:
                return [Token(head[0].lineno, "string", text % {})], end + 1
        except (KeyError, ValueError, TypeError):
            return None
        line = head[0].lineno
        return ([Token(line, "lparen", "("), Token(line, "string", text),
                 Token(line, "mod", "%"), Token(line, "name", "dict"),
                 Token(line, "lparen", "("), *arguments[1:],
                 Token(line, "rparen", ")"), Token(line, "rparen", ")")], end + 1)


_OPENING = {"lparen", "lbracket", "lbrace"}
_CLOSING = {"rparen", "rbracket", "rbrace"}


def _closing_paren(tokens, opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(tokens)):
        kind = tokens[index].type
        depth += (kind in _OPENING) - (kind in _CLOSING)
        if depth == 0:
            return index
    return None


def _keywords_only(arguments) -> bool:
    """`, name=value, ...` after the literal, with nothing positional."""
    if not arguments:
        return True
    depth, expect_keyword = 0, False
    for index, token in enumerate(arguments):
        if depth == 0 and token.type == "comma":
            expect_keyword = True
        elif expect_keyword:
            if token.type != "name" or index + 1 >= len(arguments) \
                    or arguments[index + 1].type != "assign":
                return False
            expect_keyword = False
        elif index == 0:
            return False
        depth += (token.type in _OPENING) - (token.type in _CLOSING)
    return arguments[0].type == "comma" and not expect_keyword


def install(generator) -> None:
    settings = generator.settings
    translations = interface(settings)
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations, newstyle=True)
    env.extend(theme_translations=translations)
    env.add_extension(TranslatedLiterals)
    env.filters["reader_date"] = lambda value: reader_date(
        value, settings["DATE_STYLE"], settings["THEME_LANG"])
    env.globals["THEME_LANG"] = settings["THEME_LANG"]


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.initialized.connect(translate_markdown_words)
    signals.generator_init.connect(install)
