"""The theme's gettext catalogues: the one route to every word readers see.

Templates, the comparison labels, comment feeds and the import all take
their words from `theme/translations/<THEME_LANG>/LC_MESSAGES/*.po`, read by
Babel straight from the `.po` sources, so no compiled `.mo` files are kept
in the repository.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


@cache
def load_translations(translations_dir: str, lang: str) -> gettext.GNUTranslations:
    """Merge every `<lang>/LC_MESSAGES/*.po` catalogue into one translation.

    Each feature keeps its own catalogue file so that adding a partial
    template never means editing another feature's strings.
    """
    folder = Path(translations_dir, lang, "LC_MESSAGES")
    catalogues = sorted(folder.glob("*.po"))
    if not catalogues:
        raise FileNotFoundError(
            f"{folder}: no .po catalogue for THEME_LANG={lang!r}; "
            "add one or set THEME_LANG to a language that has one"
        )
    merged = None
    for po_file in catalogues:
        with po_file.open("rb") as handle:
            catalogue = read_po(handle, locale=lang)
        if merged is None:
            merged = catalogue
        else:
            for message in catalogue:
                if message.id:
                    merged[message.id] = message
    buffer = BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalogue_folder(settings: dict) -> Path:
    return Path(settings["THEME"], "translations")


def interface(settings: dict) -> gettext.GNUTranslations:
    """The catalogue of the site's interface language (THEME_LANG)."""
    return load_translations(str(catalogue_folder(settings)), settings["THEME_LANG"])


def N_(message: str) -> str:
    """Marks a msgid for pybabel where it is not translated yet (settings)."""
    return message
