"""The Pagefind bundle kept between builds (plugins/search_index/bundle_cache.py):
reused where unchanged, never stale, never trusted after an unfinished run."""

from __future__ import annotations

import fcntl
import gzip
import os
import pickle
from pathlib import Path

import cbor2
import pytest

from conftest import run_pelican
from reader_support import write_content
from search_index.bundle_cache import BundleFormatChanged, index_files

UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js")


def bundle_files(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith(".")}


def kept_bundle(root: Path) -> Path:
    [folder] = root.glob("cache/*/pagefind-*[0-9]")
    return folder


def build(content: Path, output: Path, **overrides) -> Path:
    result = run_pelican(content, output, **overrides)
    assert result.returncode == 0, result.stderr
    return output / "pagefind"


def fragments(bundle: Path) -> dict[str, bytes]:
    return {path.name: gzip.decompress(path.read_bytes())
            for path in (bundle / "fragment").iterdir()}


@pytest.fixture
def site(tmp_path):
    return write_content(tmp_path)


def content_named(files: set[str]) -> set[str]:
    """Fragments and word chunks, which Pagefind writes the same for the same
    pages (its filter files and meta file differ from run to run)."""
    return {name for name in files if name.startswith(("fragment/", "index/"))}


def test_a_second_build_keeps_unchanged_files_and_publishes_only_its_own(site, tmp_path):
    first = build(site, tmp_path / "first")
    kept = kept_bundle(tmp_path)
    written = {name: os.stat(kept / name).st_mtime_ns
               for name in content_named(bundle_files(kept))}
    second = build(site, tmp_path / "second")
    assert content_named(bundle_files(second)) == content_named(bundle_files(first))
    assert {name: os.stat(kept / name).st_mtime_ns for name in written} == written
    assert bundle_files(kept) == bundle_files(second) | set(UNUSED_UI) | {
        "pagefind-component-ui.css", "pagefind-component-ui.js",
        "pagefind-modular-ui.css", "pagefind-modular-ui.js"}
    assert len(list((second / "filter").iterdir())) == 4
    assert len(list(second.glob("*.pf_meta"))) == 1


def test_after_an_edit_the_bundle_is_the_one_a_fresh_build_makes(site, tmp_path):
    build(site, tmp_path / "first")
    case = site / "cases" / "kahvila-moite.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "kylmää kahvia", "haaleaa teetä"), encoding="utf-8")
    edited = build(site, tmp_path / "edited")
    assert bundle_files(kept_bundle(tmp_path)) - set(UNUSED_UI) >= bundle_files(edited)
    assert content_named(bundle_files(kept_bundle(tmp_path))) == content_named(
        bundle_files(edited)), "the fragment from before the edit must be gone"
    fresh = build(site, tmp_path / "fresh", LOAD_CONTENT_CACHE=False)
    assert content_named(bundle_files(edited)) == content_named(bundle_files(fresh))
    assert fragments(edited) == fragments(fresh)
    texts = b" ".join(fragments(edited).values()).decode()
    assert "haaleaa" in texts and "kylmää" not in texts


def test_a_bundle_whose_run_did_not_finish_is_written_afresh(site, tmp_path):
    build(site, tmp_path / "first")
    kept = kept_bundle(tmp_path)
    broken = next((kept / "fragment").iterdir())
    broken.write_bytes(b"half a file")
    (kept / ".complete").unlink()
    again = build(site, tmp_path / "again")
    assert gzip.decompress((again / "fragment" / broken.name).read_bytes()).startswith(
        b"pagefind_dcd")


def test_ignore_cache_writes_the_bundle_afresh(site, tmp_path):
    build(site, tmp_path / "first")
    kept = kept_bundle(tmp_path)
    fragment = next((kept / "fragment").iterdir())
    fragment.write_bytes(b"not what Pagefind wrote")
    again = build(site, tmp_path / "again", LOAD_CONTENT_CACHE=False)
    assert gzip.decompress((again / "fragment" / fragment.name).read_bytes()).startswith(
        b"pagefind_dcd")


def test_a_bundle_in_use_by_another_build_is_left_alone(site, tmp_path):
    build(site, tmp_path / "first")
    kept = kept_bundle(tmp_path)
    before = {name: os.stat(kept / name).st_mtime_ns for name in bundle_files(kept)}
    with open(f"{kept}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        beside = build(site, tmp_path / "beside")
    assert {name: os.stat(kept / name).st_mtime_ns for name in bundle_files(kept)} == before
    assert content_named(bundle_files(beside)) == content_named(
        bundle_files(tmp_path / "first" / "pagefind"))


def test_without_a_content_cache_nothing_is_kept(site, tmp_path):
    bundle = build(site, tmp_path / "output", CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert "pagefind-entry.json" in bundle_files(bundle)
    assert not list(tmp_path.glob("cache/*/pagefind-*"))


def test_a_meta_file_laid_out_otherwise_is_reported_with_its_path(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text(
        '{"languages": {"fi": {"hash": "fi_123", "page_count": 1}}}', encoding="utf-8")
    (tmp_path / "pagefind.fi_123.pf_meta").write_bytes(
        gzip.compress(b"pagefind_dcd" + cbor2.dumps({"pages": []})))
    with pytest.raises(BundleFormatChanged, match="pagefind.fi_123.pf_meta"):
        index_files(tmp_path)


def copy_memo(root: Path) -> tuple[str, dict]:
    [memo] = root.glob("cache/*/search-copies.pickle")
    return pickle.loads(memo.read_bytes())


def test_the_copy_memo_holds_this_builds_copies_only(site, tmp_path):
    build(site, tmp_path / "first")
    _, before = copy_memo(tmp_path)
    case = site / "cases" / "kahvila-moite.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "kylmää kahvia", "haaleaa teetä"), encoding="utf-8")
    build(site, tmp_path / "edited")
    _, after = copy_memo(tmp_path)
    assert len(after) == len(before) and after != before
    copies = " ".join(copy for copy in after.values() if copy)
    assert "haaleaa" in copies and "kylmää" not in copies


@pytest.mark.parametrize("same_judge", [True, False])
def test_a_memo_is_used_only_by_the_judge_that_made_it(site, tmp_path, same_judge):
    build(site, tmp_path / "first")
    [memo] = tmp_path.glob("cache/*/search-copies.pickle")
    judge, copies = pickle.loads(memo.read_bytes())
    planted = {key: copy and copy.replace("kylmää", "istutettusana")
               for key, copy in copies.items()}
    memo.write_bytes(pickle.dumps((judge if same_judge else judge + "x", planted)))
    texts = b" ".join(fragments(build(site, tmp_path / "second")).values()).decode()
    assert ("istutettusana" in texts) is same_judge
