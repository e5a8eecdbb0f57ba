"""Parsing one approved message: charsets, names, HTML, attachments, cases, quotes."""

from __future__ import annotations

from datetime import datetime

import pytest

from hyva.privacy import MASK, display_name, mask_addresses
from hyva_tools.comment_import.mail import UnusableMessage, decode_text, message_id, parse_message
from mail_support import make_message

CASES = {"kiitos-jai-ilman-vastausta", "maksumuistutus-ja-saarna"}


def raw_message(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body


BASE = ("From: Liisa <liisa@example.com>\nTo: kommentit@hyvavastaus.fi\n"
        "Subject: [kommentti] kiitos-jai-ilman-vastausta\nDate: Wed, 8 Jan 2025 09:15:00 +0200\n"
        "Message-ID: <m1@example.com>\nMIME-Version: 1.0\n")


@pytest.mark.parametrize("charset, body, expected", [
    ("utf-8", "Hyvä että kerroit.".encode(), "Hyvä että kerroit."),
    ("iso-8859-1", "Hyvä että kerroit.".encode("latin-1"), "Hyvä että kerroit."),
    ("windows-1252", "“Hyvä” – 5 €".encode("cp1252"), "“Hyvä” – 5 €"),
    # Mislabelled: UTF-8 bytes declared as Latin-1, and an unknown label.
    ("iso-8859-1", "Hyvä että kerroit.".encode(), "Hyvä että kerroit."),
    ("x-unknown-charset", "Hyvä että kerroit.".encode(), "Hyvä että kerroit."),
    (None, "Hyvä".encode("cp1252"), "Hyvä"),
])
def test_every_charset_real_mail_uses_decodes(charset, body, expected):
    content_type = f"text/plain; charset={charset}" if charset else "text/plain"
    raw = raw_message(BASE + f"Content-Type: {content_type}\nContent-Transfer-Encoding: 8bit\n",
                      body)
    assert parse_message(raw, CASES).text == expected


def test_quoted_printable_and_base64_bodies_decode():
    quoted = raw_message(BASE + "Content-Type: text/plain; charset=iso-8859-1\n"
                         "Content-Transfer-Encoding: quoted-printable\n", b"Hyv=E4 ty=F6!\r\n")
    assert parse_message(quoted, CASES).text == "Hyvä työ!"
    encoded = raw_message(BASE + "Content-Type: text/plain; charset=utf-8\n"
                          "Content-Transfer-Encoding: base64\n", b"SHl2w6QgdHnDtiE=\r\n")
    assert parse_message(encoded, CASES).text == "Hyvä työ!"


def test_decode_text_prefers_valid_utf8_over_a_latin_label():
    assert decode_text("Å".encode(), "us-ascii") == "Å"
    assert decode_text(b"\xc5", "utf-8") == "Å"  # broken UTF-8 falls back to windows-1252


def test_encoded_word_display_name_and_subject():
    raw = make_message(sender="=?iso-8859-1?q?Matti_M=E4kel=E4?= <matti@example.com>",
                       subject="=?utf-8?b?W2tvbW1lbnR0aV0ga2lpdG9zLWphaS1pbG1hbi12YXN0YXVzdGE=?=")
    draft = parse_message(raw, CASES)
    assert draft.author == "Matti Mäkelä"
    assert draft.case == "kiitos-jai-ilman-vastausta"


@pytest.mark.parametrize("sender, expected", [
    ("liisa@example.com", ""),
    ('"liisa@example.com" <liisa@example.com>', ""),
    ('"   " <liisa@example.com>', ""),
    ('"Liisa (liisa@example.com)" <liisa@example.com>', "Liisa"),
    ("Liisa Lukija <liisa@example.com>", "Liisa Lukija"),
])
def test_display_name_is_the_name_never_an_address(sender, expected):
    assert parse_message(make_message(sender=sender), CASES).author == expected


def test_display_name_is_shortened():
    assert len(display_name("Pitkä " * 40)) <= 80


def test_addresses_in_the_body_are_masked():
    draft = parse_message(make_message(body="Kirjoita minulle: liisa.l+blogi@example.fi tai "
                                            "mailto:toinen@example.com kiitos"), CASES)
    assert "@" not in draft.text
    assert draft.text.count(MASK) == 2


def test_html_only_mail_becomes_text_without_its_quote():
    html = ("<html><head><style>p {color: red}</style></head><body>"
            "<p>Ensimmäinen <b>kappale</b>.</p><p>Toinen rivi<br>jatkuu.</p>"
            "<div class='gmail_quote'>ke 8. tammik. 2025 klo 9.15 X kirjoitti:"
            "<blockquote>Vanha viesti</blockquote></div></body></html>")
    draft = parse_message(make_message(html=html), CASES)
    assert draft.text == "Ensimmäinen kappale.\n\nToinen rivi\njatkuu."


def test_outlook_web_html_drops_everything_after_its_reply_marker():
    html = ("<html><body><div>Oma vastaus tähän.</div><div id='appendonsend'></div><hr>"
            "<div id='divRplyFwdMsg'><b>Lähettäjä:</b> Toimitus<br><b>Lähetetty:</b> 8.1.2025"
            "</div><div>Vanha viesti, jota ei julkaista.</div></body></html>")
    assert parse_message(make_message(html=html), CASES).text == "Oma vastaus tähän."


def test_attachments_are_dropped():
    draft = parse_message(make_message(body="Teksti.", attachment=b"\x00secret-binary"), CASES)
    assert draft.text == "Teksti."


def test_date_is_kept_in_helsinki_time():
    draft = parse_message(make_message(date="Wed, 08 Jan 2025 07:15:00 +0000"), CASES)
    assert draft.date.isoformat() == "2025-01-08T09:15:00+02:00"
    naive = parse_message(make_message(date="Wed, 08 Jan 2025 09:15:00 -0000"), CASES)
    assert isinstance(naive.date, datetime) and naive.date.utcoffset() is not None


@pytest.mark.parametrize("subject, to, expected", [
    ("[kommentti] maksumuistutus-ja-saarna", "kommentit@hyvavastaus.fi",
     "maksumuistutus-ja-saarna"),
    ("Re: [Kommentti] maksumuistutus-ja-saarna", "kommentit@hyvavastaus.fi",
     "maksumuistutus-ja-saarna"),
    ("Kommentti tapaukseen maksumuistutus-ja-saarna!", "kommentit@hyvavastaus.fi",
     "maksumuistutus-ja-saarna"),
    ("Hei", "kommentit+maksumuistutus-ja-saarna@hyvavastaus.fi", "maksumuistutus-ja-saarna"),
    ("Hei", "kommentit+ei-tapaus@hyvavastaus.fi", None),
    ("[kommentti] ei-tallaista", "kommentit@hyvavastaus.fi", "ei-tallaista"),
])
def test_case_from_subject_or_plus_tag(subject, to, expected):
    assert parse_message(make_message(subject=subject, to=to), CASES).case == expected


def test_threading_headers_nearest_first():
    draft = parse_message(make_message(in_reply_to="<b@example.com>",
                                       references="<a@example.com> <b@example.com>"), CASES)
    assert draft.answers == ["b@example.com", "a@example.com"]


def test_message_id_is_read_from_raw_headers_only():
    raw = raw_message("From: x <x@example.com>\nMessage-ID:\n <folded@example.com>\n",
                      b"Message-ID: <body@example.com>\r\n")
    assert message_id(raw) == "folded@example.com"
    assert message_id(raw_message("From: x <x@example.com>\n", b"Message-ID: <b@x>\r\n")) is None


@pytest.mark.parametrize("raw, reason", [
    (make_message(sender="Ei osoitetta"), "no sender address"),
    (make_message(date="eilen"), "no valid Date"),
    (make_message(body="> vain lainausta\n> ei muuta\n"), "no comment text"),
])
def test_unusable_messages_say_why(raw, reason):
    with pytest.raises(UnusableMessage) as problem:
        parse_message(raw, CASES)
    assert reason in problem.value.reason
    assert problem.value.subject


def test_a_message_id_holding_the_sender_address_is_masked_in_reports():
    raw = make_message(message_id="<liisa@example.com>", date="eilen")
    with pytest.raises(UnusableMessage) as problem:
        parse_message(raw, CASES)
    assert "liisa@example.com" not in problem.value.message_id


def test_mask_addresses_leaves_other_text():
    text = "Soita 040 123 4567, @yritys ei vastaa"
    assert mask_addresses(text) == text
