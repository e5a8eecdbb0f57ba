"""Authors are told when a case or page they wrote holds personal data.

A henkilötunnus, phone number, IBAN or card number pasted from a reader's
mail into a case's source (`hyva.identifiers`) is named with its file and
line, masked. `PERSONAL_DATA_IN_SOURCES` says what then happens: "warn"
(pelicanconf.py) lets a local build go on, "fail" (publishconf.py) stops
the public build. Values in `PERSONAL_DATA_ALLOWED` are published on
purpose and pass.
"""

from __future__ import annotations

import logging

from pelican import signals

from hyva.cases import case_files, page_files
from hyva.errors import ContentError, report, shown_path
from hyva.identifiers import NAMES, SETTINGS, allowed_values, identifiers_in_file
from hyva.settings import settle

logger = logging.getLogger(__name__)
FIX = ("remove it (write a made-up example that is no real number), or if it is published on "
       "purpose, add it to PERSONAL_DATA_ALLOWED in pelicanconf.py with the reason")


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)


def check_cases(generator) -> None:
    check_sources(generator.settings, case_files(generator.settings))


def check_pages(generator) -> None:
    check_sources(generator.settings, page_files(generator.settings))


def check_sources(settings: dict, files) -> None:
    allowed = allowed_values(settings)
    for path in files:
        try:
            found = identifiers_in_file(path, allowed)
        except ContentError:
            continue  # not UTF-8: the reader reports it
        for line, identifier, masked in found:
            error = ContentError(f"{NAMES[identifier.kind]} ({masked}); personal data must not "
                                 "be published", line=line, path=shown_path(path), hint=FIX)
            if settings["PERSONAL_DATA_IN_SOURCES"] == "fail":
                report(error)
            else:
                logger.warning("%s", error.located())


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(check_cases)
    signals.page_generator_finalized.connect(check_pages)
