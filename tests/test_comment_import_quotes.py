"""Quote and signature stripping: mail body in, the commenter's own words out."""

from __future__ import annotations

import email

import pytest

from hyva_tools.comment_import.mail import POLICY, html_to_text, parse_message
from hyva_tools.comment_import.quotes import latest_reply

GOLDEN = {
    "apple_mail_fi": (
        "Hyvä kirjoitus!\n\nToinen kappale.\n\n"
        "Matti Meikäläinen <matti@example.com> kirjoitti 23.12.2022 kello 11.54:\n\n"
        "> Alkuperäinen\n> teksti\n",
        "Hyvä kirjoitus!\n\nToinen kappale.",
    ),
    "gmail_fi_wrapped": (
        "Olen samaa mieltä.\n\nke 8. tammik. 2025 klo 9.15 Liisa Virtanen <\n"
        "liisa@example.fi> kirjoitti:\n\n> lainaus\n",
        "Olen samaa mieltä.",
    ),
    "iphone_fi": ("Kiitos!\n\nLähetetty iPhonesta\n", "Kiitos!"),
    "outlook_fi_header_block": (
        "Tämä on vastaus.\n\nLähettäjä: Matti <m@example.com>\n"
        "Lähetetty: keskiviikko 8. tammikuuta 2025 9.15\n"
        "Vastaanottaja: kommentit@hyvavastaus.fi\nAihe: kommentti\n\nvanha teksti\n",
        "Tämä on vastaus.",
    ),
    "outlook_fi_separator": ("Hyvä\n\n-----Alkuperäinen viesti-----\nvanha\n", "Hyvä"),
    "outlook_en": (
        "Agreed.\n\nFrom: Matti <m@example.com>\nSent: Wednesday, January 8, 2025 9:15 AM\n"
        "To: kommentit@hyvavastaus.fi\nSubject: kommentti\n\nold text\n",
        "Agreed.",
    ),
    "gmail_en": ("Nice.\n\nOn Wed, Jan 8, 2025 at 9:15 AM Liisa <l@example.com> wrote:\n\n> old\n",
                 "Nice."),
    "dash_signature": ("Vastaus\n\n-- \nMatti Meikäläinen\nPuh 040 123\n", "Vastaus"),
    "terveisin_signature": ("Kommentti tässä.\n\nTerveisin\nLiisa\n", "Kommentti tässä."),
    "inline_quote_then_answer": ("> lainaus alussa\nOma vastaus\n", "Oma vastaus"),
    # A comment may quote a company and use lists: none of that is a quote.
    "kirjoitti_without_time_is_text": (
        'Asiakaspalvelija kirjoitti:\n"Emme voi auttaa"\n\nHuono vastaus.\n- yksi\n- kaksi\n',
        'Asiakaspalvelija kirjoitti:\n"Emme voi auttaa"\n\nHuono vastaus.\n- yksi\n- kaksi',
    ),
    "unknown_language_attribution": (
        "Réponse\n\nLe mer. 29 juin 2022 à 12:32, Rick (<rick@example.com>) a écrit :\n\n> Salut\n",
        "Réponse",
    ),
}


@pytest.mark.parametrize("name", GOLDEN)
def test_golden(name):
    text, expected = GOLDEN[name]
    assert latest_reply(text) == expected


TALON_REPLIES = ["android.eml", "aol.eml", "apple_mail.eml", "gmail.eml", "hotmail.eml",
                 "iphone.eml", "outlook.eml", "sparrow.eml", "thunderbird.eml", "yahoo.eml"]


@pytest.mark.parametrize("name", TALON_REPLIES)
def test_talon_standard_replies_keep_only_the_reply(shared_corpora, name):
    raw = (shared_corpora / "email" / f"talon-{name}").read_bytes()
    body = email.message_from_bytes(raw, policy=POLICY).get_body(("plain", "html"))
    assert latest_reply(body.get_content()) == "Hello"


@pytest.mark.parametrize("name", ["gmail.html", "hotmail.html", "ms_outlook_2010.html",
                                  "thunderbird.html"])
def test_talon_html_replies_keep_only_the_reply(shared_corpora, name):
    html = (shared_corpora / "email" / f"talon-{name}").read_text(encoding="utf-8")
    assert latest_reply(html_to_text(html)) == "Hi. I am fine."


@pytest.mark.parametrize("name, expected", [
    ("gmail_danish.txt", "This is text from gmail set up with danish locale"),
    ("quote_reply_french.txt", "This is a reply with French quote"),
    ("quote_reply_german_multiline.txt", "This is a reply with German quote multiline"),
    ("pathological.txt", "I think you're onto something. I will try to fix the problem as soon as I"
                         "\nget back to a computer."),
])
def test_email_reply_parser_fixtures(shared_corpora, name, expected):
    text = (shared_corpora / "email" / f"erp-{name}").read_text(encoding="utf-8")
    assert latest_reply(text) == expected


def test_full_message_from_a_finnish_gmail_reply():
    from mail_support import make_message

    raw = make_message(body="Juuri näin!\n\nke 8. tammik. 2025 klo 9.15 Toimitus <\n"
                            "toimitus@hyvavastaus.fi> kirjoitti:\n\n> Kiitos kommentista.\n")
    assert parse_message(raw, {"kiitos-jai-ilman-vastausta"}).text == "Juuri näin!"
