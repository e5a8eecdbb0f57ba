"""A small site of known cases for the reader and search tests, and a way to
serve any built site on 127.0.0.1.

The cases are written so that the expected results are known by
construction: which cases share tags or facets, which one is long enough
for a table of contents, and which inflected Finnish words each contains.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, build, write_case

# A paragraph of exactly 160 words (one minute at READING_WORDS_PER_MINUTE).
MINUTE_OF_TEXT = " ".join(
    ["Muuttomiehet kantoivat laatikot nopeasti kolmanteen kerrokseen ja kokosivat sängyn illalla."]
    * 16
)  # 10 words x 16

CASES = {
    "muutto-kiitos": {
        "header": {
            "Title": "Kiitos muuttofirmalle jäi ilman vastausta",
            "Date": "2014-05-16 10:00",
            "Tags": "kiitos, vastaamatta",
            "Channel": "sähköposti",
            "Sector": "muutto",
            "Outcome": "huono",
        },
        # 8 + 3 x (2 + 160) + 5 = 499 words: 4 minutes, with three headings.
        "body": "Kiitin muuttofirmalle sujuvasta muutosta, mutta asiakaspalvelu ei vastannut.\n\n"
                + "\n\n".join(f"## {heading}\n\n{MINUTE_OF_TEXT}"
                              for heading in ("Mitä tapahtui", "Mitä kirjoitin", "Mitä opimme"))
                + "\n\nMuuttofirman vastausta ei koskaan tullut.",
    },
    "kahvila-moite": {
        "header": {
            "Title": "Kahvila vastasi moitteeseen",
            "Date": "2014-06-01 10:00",
            "Tags": "moite, anteeksipyyntö",
            "Channel": "verkkolomake",
            "Sector": "ravintola",
            "Outcome": "hyvä",
        },
        "body": "Kahvilan omistaja pahoitteli kylmää kahvia, kiitti palautteesta ja tarjosi "
                "uuden kupin. Hyvää asiakaspalvelu parhaimmillaan.",
    },
    "pankki-chat": {
        "header": {
            "Title": "Pankin chat korjasi virheen",
            "Date": "2015-01-10 10:00",
            "Tags": "kiitos, anteeksipyyntö",
            "Channel": "chat",
            "Sector": "pankki",
            "Outcome": "korjattu",
        },
        "body": "Pankin asiakaspalvelu myönsi virheen chatissa ja palautti veloitetun maksun.",
    },
    "tele-jono": {
        "header": {
            "Title": "Operaattorin puhelinjono",
            "Date": "2016-03-02 10:00",
            "Tags": "odotus",
            "Channel": "puhelin",
            "Sector": "tele",
            "Outcome": "huono",
        },
        "body": "Jonotin operaattorin asiakaspalvelu numerossa tunnin, eikä kukaan vastannut.",
    },
}


# True once the search page has listed the results of its current form.
SEARCH_DONE = """() => !document.querySelector('.search-results').hasAttribute('aria-busy')
                    && document.querySelector('.search-status').textContent !== ''"""


def write_content(root: Path) -> Path:
    """The known cases plus the real pages (the search page among them)."""
    content = root / "content"
    for slug, case in CASES.items():
        fields = {key.lower(): value for key, value in case["header"].items()}
        title = fields.pop("title")
        write_case(content / "cases", slug, title, case["body"] + "\n",
                   category="Palaute", summary=f"{title}.", **fields)
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    return content


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reader")
    return build(write_content(root), root / "output")


@contextmanager
def serve(directory: Path):
    """`directory` over HTTP on 127.0.0.1 (a free port) while in the block."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_reader_site(reader_site):
    with serve(reader_site.output) as url:
        yield url
