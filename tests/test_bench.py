"""Each benchmark runs at a small N (no time is asserted: numbers vary)."""

from __future__ import annotations

import re

from benchmarks import bench_build, bench_check, bench_preview, run
from benchmarks.corpus import generate
from hyva.commentfile import load


def test_corpus_has_every_part_of_a_case(tmp_path):
    content = generate(5, tmp_path)
    cases = sorted((content / "cases").glob("*.md"))
    assert len(cases) == 5
    text = cases[0].read_text(encoding="utf-8")
    for field in ("Title", "Date", "Tags", "Channel", "Sector", "Outcome"):
        assert re.search(rf"^{field}: \S", text, re.MULTILINE), field
    assert "//// compare |" in text and "/// bad |" in text and "/// good |" in text
    assert "{==" in text and "{>>" in text
    comments = sorted((content / "comments").rglob("*.md"))
    assert comments and load(comments[0]).case in {case.stem for case in cases}
    assert generate(5, tmp_path / "again").joinpath(cases[0].relative_to(content)) \
        .read_text(encoding="utf-8") == text


def test_corpus_builds_with_every_plugin(tmp_path):
    """The comparisons and comments of the corpus are really rendered."""
    content = generate(3, tmp_path)
    summary = bench_build.ours(content, tmp_path, 1, warm=False, sample_memory=True)
    assert summary.runs[0].peak_mb > 0
    assert (tmp_path / "ours" / "pagefind").is_dir()
    page = (tmp_path / "ours" / "tapaus-00001" / "index.html").read_text(encoding="utf-8")
    assert "reply-compare" in page and "<mark" in page


def test_runner_reports_every_benchmark(tmp_path):
    report = run.run(cases=4, repeat=1, edits=1, messages=20, work=tmp_path)
    for row in ("this project, cold / vanilla Pelican + Pagefind, cold",
                "this project, warm / vanilla Pelican + Pagefind, warm",
                "this project without search, warm / vanilla Pelican, warm",
                "this project, warm / this project, cold",
                "this project, warm / vanilla Pelican + Pagefind, warm (one core busy)",
                "Peak memory", "Edit-to-preview", "Comment import",
                "invoke check, warm", "invoke check after one case edit",
                "publish build + check", "Peak memory of a cold invoke check"):
        assert row in report, row
    assert (tmp_path / "vanilla" / "index.html").is_file()
    assert (tmp_path / "vanilla" / "pagefind").is_dir()
    assert not (tmp_path / "ours-without-search" / "pagefind").exists()
    assert (tmp_path / "ours" / "pagefind").is_dir()
    assert re.search(r"\| [\d.]+ s / [\d.]+ s = [\d.]+x \| [\d.]+ s / [\d.]+ s = [\d.]+x \|",
                     report)
    assert re.search(r"Peak memory[^|]+\| \d+ MB / \d+ MB \|", report)
    # Earlier builds' output is set aside, never deleted during the run.
    assert len(list(tmp_path.glob("set-aside-*/output"))) >= 4
    assert re.search(r"Edit-to-preview, median of 1 edits \| \d+ ms", report)


def test_preview_latency_is_measured_on_served_pages(tmp_path):
    content = generate(3, tmp_path)
    startup, latencies = bench_preview.edit_latencies(content, tmp_path, 2)
    assert startup > 0 and len(latencies) == 2
    edited = sorted((content / "cases").glob("*.md"))[0].read_text(encoding="utf-8")
    assert "Muokkaus numero 0 esikatselussa." in edited


def test_profile_names_the_stages_and_plugin_hooks(tmp_path):
    from benchmarks.profile_build import profile, table

    report = table(profile(generate(3, tmp_path), tmp_path / "output", search=False))
    assert "generate_context" in report and "generate_output" in report
    assert "`plugins/case_metadata/case_metadata.py:" in report


def test_check_benchmark_runs_each_kind(tmp_path):
    results = bench_check.measure(generate(3, tmp_path), tmp_path, 1)
    assert set(results) == {"cold", "warm", "one edit", "build + check"}
    assert results["cold"].peak_mb > 0
    assert all(len(summary.runs) == 1 for summary in results.values())
    assert len(bench_check.rows(results)) == 5
