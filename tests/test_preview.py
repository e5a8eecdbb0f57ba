"""The preview server serves, after an edit, exactly what a full build writes."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from conftest import ROOT, build
from hyva_tools.preview import LiveSite, running


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError:
        return None


def wait_for(url: str, condition, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and condition(body):
            return body
        time.sleep(0.05)
    raise AssertionError(f"{url} did not change as expected within {seconds} s")


def logged(caplog, text: str, seconds: float = 10) -> bool:
    """Whether the server logs `text` within `seconds`. It logs a refresh
    just after the page is in place, so a request may see the page a
    moment before the log has the line."""
    deadline = time.monotonic() + seconds
    while text not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    return text in caplog.text


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A 12-case site under the preview server, and the folders it uses."""
    root = tmp_path_factory.mktemp("preview")
    content = generate(12, root)
    site = LiveSite(ROOT / "pelicanconf.py", content, root / "output", {"SEARCH_INDEX": False})
    with running(site) as url:
        yield url, content, root


def test_edited_case_is_served_as_a_full_build_writes_it(preview, tmp_path):
    url, content, _root = preview
    case = content / "cases" / "tapaus-00004.md"
    text = case.read_text(encoding="utf-8")
    heading = re.search(r"^## (.+)$", text, re.MULTILINE).group(1)
    # Long enough to change the reading time and bring in the table of
    # contents, which whole-site hooks compute after reading.
    longer = " ".join(["Lisätty *kappale* esikatselussa, jotta lukuaika kasvaa."] * 80)
    edit(case, f"## {heading}", f"## Uusi väliotsikko\n\n{longer}\n\n## {heading}")
    served = wait_for(url + "tapaus-00004/", lambda body: "Uusi väliotsikko".encode() in body)

    fresh = build(content, tmp_path / "fresh", SEARCH_INDEX=False)
    assert served == fresh.path("tapaus-00004/index.html").read_bytes()


def test_a_text_edit_refreshes_one_page_without_a_full_build(preview, caplog):
    url, content, _root = preview
    caplog.set_level("INFO")
    case = content / "cases" / "tapaus-00005.md"
    edit(case, "\n\n", "\n\nAivan uusi ensimmäinen kappale, joka muuttaa sanamäärää.\n\n")
    wait_for(url + "tapaus-00005/", lambda body: "Aivan uusi ensimmäinen".encode() in body)
    assert logged(caplog, "Refreshed") and "tapaus-00005.md" in caplog.text
    assert "rebuilding listings" not in caplog.text


def test_header_change_rebuilds_the_listings(preview):
    url, content, _root = preview
    case = content / "cases" / "tapaus-00012.md"
    title = re.search(r"^Title: (.+)$", case.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    edit(case, f"Title: {title}", "Title: Aivan uusi otsikko")
    wait_for(url, lambda body: b"Aivan uusi otsikko" in body)
    assert b"Aivan uusi otsikko" in fetch(url + "tapaus-00012/")


def test_new_case_appears(preview):
    url, content, _root = preview
    source = (content / "cases" / "tapaus-00002.md").read_text(encoding="utf-8")
    new = re.sub(r"^Title: .+$", "Title: Kokonaan uusi tapaus", source, count=1,
                 flags=re.MULTILINE)
    (content / "cases" / "uusi-tapaus.md").write_text(new, encoding="utf-8")
    page = wait_for(url + "uusi-tapaus/", lambda body: True)
    assert b"Kokonaan uusi tapaus" in page


def test_a_mistake_keeps_the_last_good_page(preview, caplog):
    url, content, _root = preview
    before = fetch(url + "tapaus-00007/")
    case = content / "cases" / "tapaus-00007.md"
    date = re.search(r"^Date: (.+)$", case.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    edit(case, f"Date: {date}", "Date: eilen")
    assert logged(caplog, "tapaus-00007.md:2: Date 'eilen' is not a date", seconds=30)
    assert fetch(url + "tapaus-00007/") == before
    edit(case, "Date: eilen", f"Date: {date}")
