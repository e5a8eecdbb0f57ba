"""The real import, through mbox, Maildir and a real Dovecot over IMAP, of
mail holding every kind of personal identifier in every obfuscated form:
each is masked with its worded label and counted in the summary, and no
value, in any form, reaches content/comments, the built site (feeds and
Pagefind's decompressed index included) or anything the commands print.
Look-alikes (dates, prices, order numbers, a Y-tunnus, an invalid hetu)
are imported unchanged."""

from __future__ import annotations

import gzip
import html
import re
import unicodedata
from pathlib import Path

import phonenumbers
import pytest

from benchmarks.bench_identifiers import FORMS, Generated, generate, sentence
from conftest import copy_project
from hyva import commentfile
from hyva.identifiers import CARD, HETU, IBAN, PHONE
from mail_support import (
    PASSWORD,
    assert_site_passes,
    import_into,
    make_message,
    run_task,
    texts_under,
    write_maildir,
    write_mbox,
)

CASE = "kiitos-jai-ilman-vastausta"
# One of each kind, every kind in every form.
VALUES = [next(item for item in generate(16, seed=3) if item.kind == kind)
          for kind in (HETU, PHONE, IBAN, CARD)]
LABELS = {HETU: "[henkilötunnus poistettu]", PHONE: "[puhelinnumero poistettu]",
          IBAN: "[tilinumero poistettu]", CARD: "[kortin numero poistettu]"}
HTML_FORMS = ("HTML tags", "character references")
LOOK_ALIKES = [
    "Tilasin 16.5.2014 ja toimitus tuli 01.06.2014 klo 09.30–10.00.",
    "Hinta oli 1 234,50 € ja toimitus 4,90 €.",
    "Tilausnumero 4111111111111112, lasku 2024-000123, viite 1234 5678 9012 3.",
    "Y-tunnus 0112038-9, postinumero 00100 Helsinki, ISBN 978-951-0-12345-6.",
    "Väärä tunnus 131052-308U ja tili FI21 1234 5600 0007 86 eivät ole kenenkään.",
]


def mail() -> list[bytes]:
    messages = []
    for item in VALUES:
        for form in FORMS:
            messages.append(make_message(
                message_id=f"<{item.kind}-{len(messages)}@example.com>",
                body=f"Kommenttini: {sentence(item, form)}\nTerveisin lukija"))
        for form in HTML_FORMS:
            messages.append(make_message(
                message_id=f"<{item.kind}-html-{len(messages)}@example.com>",
                html=f"<html><body><p>HTML-postia: {sentence(item, form)}</p></body></html>"))
    phone = VALUES[1]
    messages.append(make_message(
        message_id="<nimi@example.com>", sender=f'"{phone.written}" <soittaja@example.com>',
        subject=f"[kommentti] {CASE} soita {phone.written}", body="Nimi on numero."))
    for number, text in enumerate(LOOK_ALIKES):
        messages.append(make_message(message_id=f"<look-alike-{number}@example.com>", body=text))
    return messages


def digits(text: str) -> str:
    return "".join(character for character in unicodedata.normalize("NFKC", text)
                   if character.isdigit())


def significant_digits(item: Generated) -> str:
    """The digits no copy of the value can lack: the national number of a
    phone (without country code or trunk 0), all digits of the others."""
    if item.kind == PHONE:
        return str(phonenumbers.parse(item.value).national_number)
    return digits(item.value)


def readable(folder: Path) -> str:
    """Every file's text, compressed ones (Pagefind's index) decompressed,
    entities undone."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data.startswith(b"\x1f\x8b"):
                data = gzip.decompress(data)
            texts.append(html.unescape(data.decode("utf-8", "replace")))
    return "\n".join(texts)


def assert_no_value(text: str) -> None:
    """No value in any form, nor its digits with everything else taken out."""
    every_digit = digits(re.sub(r"<[^>]*>", "", html.unescape(text)))
    for item in VALUES:
        for form in FORMS:
            assert FORMS[form](item.written) not in text, f"{item.kind} in form {form} leaked"
        assert item.value not in text, f"{item.kind} leaked"
        assert significant_digits(item) not in every_digit, f"{item.kind}'s digits leaked"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def assert_masked_import(project: Path, printed: str) -> None:
    assert_no_value(printed)
    comments = project / "content" / "comments"
    assert_no_value(texts_under(comments))
    texts = [commentfile.load(path) for path in comments.glob(f"{CASE}/*.md")]
    for item in VALUES:
        masked = [comment for comment in texts if LABELS[item.kind] in comment.text]
        assert len(masked) >= len(FORMS) + len(HTML_FORMS), item.kind
    for text in LOOK_ALIKES:
        assert any(comment.text == text for comment in texts), text
    named = next(comment for comment in texts if comment.text == "Nimi on numero.")
    assert named.author == LABELS[PHONE]
    counted = re.findall(r"^Masked in (.+?), Message-ID <[^>]*>: (.+)$", printed, re.MULTILINE)
    assert len(counted) == 4 * (len(FORMS) + len(HTML_FORMS)) + 1, printed
    for words in ("1 personal identity code", "1 phone number", "1 IBAN", "1 card number"):
        assert any(counts == words for _, counts in counted), words


def test_mbox_import_masks_every_form_and_the_site_holds_none(project, tmp_path):
    source = write_mbox(tmp_path / "approved.mbox", mail())
    printed = import_into(project, source, ["soittaja@example.com"])
    assert_masked_import(project, printed)
    assert_site_passes(project, ["soittaja@example.com"])
    assert_no_value(readable(project / "output"))
    assert "[puhelinnumero poistettu]" in (project / "output" / CASE / "index.html").read_text()
    assert LABELS[HETU] in readable(project / "output" / "feeds")
    assert LABELS[IBAN] in readable(project / "output" / "pagefind")


def test_maildir_import_masks_every_form(project, tmp_path):
    source = write_maildir(tmp_path / "Maildir", mail())
    assert_masked_import(project, import_into(project, source, ["soittaja@example.com"]))


@pytest.mark.server
def test_imap_import_masks_every_form(project, dovecot):
    dovecot.deliver("Tunnisteet", mail())
    printed = import_into(project, dovecot.url("Tunnisteet"), ["soittaja@example.com"],
                          password=PASSWORD)
    assert_masked_import(project, printed)


def test_the_english_interface_masks_in_english(project, tmp_path):
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text().replace('THEME_LANG = "fi"', 'THEME_LANG = "en"'))
    source = write_mbox(tmp_path / "approved.mbox", mail()[:1])
    result = run_task(project, "import-comments", "--source", str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[personal identity code removed]" in texts_under(project / "content" / "comments")
