"""The speed-ups change nothing in the output, byte for byte.

The speed layer is the reader cache (plugins/reader_cache with Pelican's
CACHE_CONTENT): a build without it, uncached, is the reference for every
other.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

from benchmarks.corpus import generate
from conftest import build, without_speed_layer


def without_build_time(sitemap: bytes) -> bytes:
    """pelican-sitemap dates listing pages by the time of the build, so any
    two builds differ there; every other byte must match."""
    def recent(match: re.Match) -> bytes:
        stamp = datetime.fromisoformat(match.group(1).decode())
        is_now = abs(datetime.now(UTC) - stamp) < timedelta(hours=1)
        return b"<lastmod>build time</lastmod>" if is_now else match.group(0)
    return re.sub(rb"<lastmod>([^<]+)</lastmod>", recent, sitemap)


def files(output) -> dict[str, bytes]:
    """Every file but the search bundle (tests/test_search_bundle.py)."""
    found = {str(path.relative_to(output)): path.read_bytes()
             for path in sorted(output.rglob("*"))
             if path.is_file() and path.relative_to(output).parts[0] != "pagefind"}
    found["sitemap.xml"] = without_build_time(found["sitemap.xml"])
    return found


def test_cold_and_warm_builds_equal_a_build_without_the_speed_layer(tmp_path):
    content = generate(12, tmp_path)
    plain = build(content, tmp_path / "plain", SEARCH_INDEX=False, **without_speed_layer())
    assert not (tmp_path / "cache").exists()
    cold = build(content, tmp_path / "cold", SEARCH_INDEX=False)
    caches = list((tmp_path / "cache").glob("content-*/*"))
    assert caches, "the cached build wrote no reader cache"
    warm = build(content, tmp_path / "warm", SEARCH_INDEX=False)
    indexed = build(content, tmp_path / "indexed")
    assert (indexed.output / "pagefind").is_dir()

    expected = files(plain.output)
    assert len(expected) > 100
    for other in (cold, warm, indexed):
        actual = files(other.output)
        assert actual.keys() == expected.keys()
        assert [name for name in expected if actual[name] != expected[name]] == []


def test_an_edited_case_is_read_again_from_a_warm_cache(tmp_path):
    content = generate(3, tmp_path)
    build(content, tmp_path / "first", SEARCH_INDEX=False)
    case = content / "cases" / "tapaus-00002.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nUusi loppukappale.\n",
                    encoding="utf-8")
    again = build(content, tmp_path / "again", SEARCH_INDEX=False)
    assert "Uusi loppukappale." in again.path("tapaus-00002/index.html").read_text(
        encoding="utf-8")


def test_the_reader_cache_is_rewritten_only_when_a_case_was_read_anew(tmp_path):
    content = generate(3, tmp_path)
    build(content, tmp_path / "first", SEARCH_INDEX=False)
    cache = next((tmp_path / "cache").glob("content-*/ArticlesGenerator-Readers"))
    saved = cache.stat().st_ino
    build(content, tmp_path / "unchanged", SEARCH_INDEX=False)
    assert cache.stat().st_ino == saved, "an unchanged cache was written again"
    case = content / "cases" / "tapaus-00001.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nLisäys.\n", encoding="utf-8")
    build(content, tmp_path / "edited", SEARCH_INDEX=False)
    assert cache.stat().st_ino != saved, "the edited case was not cached"
    build(content, tmp_path / "again", SEARCH_INDEX=False)
    assert "Lisäys." in (tmp_path / "again" / "tapaus-00001" / "index.html").read_text(
        encoding="utf-8")


def test_caches_left_by_earlier_code_are_deleted_but_the_last_used_and_no_other(tmp_path):
    content = generate(3, tmp_path)
    cache = tmp_path / "cache"
    outdated, last_used = cache / "content-0123456789abcdef", cache / "content-fedcba9876543210"
    for number, folder in enumerate((outdated, last_used)):
        (folder / "pagefind-1.0.0").mkdir(parents=True)
        os.utime(folder, ns=(number * 10**9, number * 10**9))
    another_content_folder = cache / "content-muu-0123456789abcdef"
    not_a_cache = cache / "content-notes"
    another_content_folder.mkdir()
    not_a_cache.mkdir()
    build(content, tmp_path / "output", SEARCH_INDEX=False)
    assert not outdated.exists() and last_used.is_dir()
    assert another_content_folder.is_dir() and not_a_cache.is_dir()
    current = [folder for folder in cache.iterdir()
               if re.fullmatch(r"content-[0-9a-f]{16}", folder.name) and folder != last_used]
    assert len(current) == 1 and list(current[0].iterdir())


def test_a_preview_and_a_publish_build_keep_their_caches_as_they_alternate(tmp_path):
    content = generate(3, tmp_path)
    public = {"SITE_ORIGIN": "https://hyvavastaus.example"}
    build(content, tmp_path / "preview", SEARCH_INDEX=False)
    build(content, tmp_path / "public", SEARCH_INDEX=False, **public)
    caches = sorted((tmp_path / "cache").glob("content-*/ArticlesGenerator-Readers"))
    assert len(caches) == 2, "one of the two builds' reader caches was deleted"
    saved = [cache.stat().st_ino for cache in caches]
    build(content, tmp_path / "preview-again", SEARCH_INDEX=False)
    build(content, tmp_path / "public-again", SEARCH_INDEX=False, **public)
    assert [cache.stat().st_ino for cache in caches] == saved, "a build read every case anew"
