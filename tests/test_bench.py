"""Each benchmark runs at a small N (no time is asserted: numbers vary)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

from benchmarks import bench_build, bench_check, bench_preview, run
from benchmarks.corpus import generate
from conftest import ROOT
from hyva.commentfile import load
from hyva_tools.progress import Progress

SVG = "{http://www.w3.org/2000/svg}"


def test_corpus_has_every_part_of_a_case(tmp_path):
    content = generate(5, tmp_path)
    cases = sorted((content / "cases").glob("*.md"))
    assert len(cases) == 5
    text = cases[0].read_text(encoding="utf-8")
    for field in ("Title", "Date", "Tags", "Channel", "Sector", "Outcome"):
        assert re.search(rf"^{field}: \S", text, re.MULTILINE), field
    assert "//// compare |" in text and "/// bad |" in text and "/// good |" in text
    assert "{==" in text and "{>>" in text
    assert re.search(r"\{>>[^<]+ #[^\W\d]", text), "the notes name no pattern"
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
    assert 'class="pattern-link"' in page
    assert list((tmp_path / "ours" / "fraasit").glob("*/index.html"))


def test_runner_reports_every_benchmark(tmp_path):
    shown = io.StringIO()
    with Progress(shown) as progress:
        report = run.run(cases=4, repeat=1, edits=1, messages=20, work=tmp_path,
                         chart=tmp_path / "bench.svg", progress=progress)
    for row in ("this project, cold / vanilla Pelican + Pagefind, cold",
                "this project, warm / vanilla Pelican + Pagefind, warm",
                "this project without search, warm / vanilla Pelican, warm",
                "this project, warm / this project, cold",
                "this project, cold / this project without the phrasebook, cold",
                "this project, warm / vanilla Pelican + Pagefind, warm (one core busy)",
                "Peak memory", "Edit-to-preview", "Comment import",
                "invoke check, warm", "invoke check after one case edit",
                "invoke publish --dry-run after one case edit",
                "Peak memory of a cold invoke check"):
        assert row in report, row
    assert (tmp_path / "vanilla" / "index.html").is_file()
    assert (tmp_path / "vanilla" / "pagefind").is_dir()
    assert not (tmp_path / "ours-without-search" / "pagefind").exists()
    assert not (tmp_path / "ours-without-phrasebook" / "fraasit").exists()
    assert (tmp_path / "ours" / "fraasit" / "fraasikirja.json").is_file()
    assert (tmp_path / "ours" / "pagefind").is_dir()
    assert re.search(r"\| [\d.]+ s / [\d.]+ s = [\d.]+x \| [\d.]+ s / [\d.]+ s = [\d.]+x \|",
                     report)
    assert re.search(r"Peak memory[^|]+\| \d+ MB / \d+ MB \|", report)
    per_file = re.search(r"per file written \((\d+) / (\d+) files\) \| [\d.]+ ms / [\d.]+ ms",
                         report)
    assert per_file and int(per_file.group(1)) > int(per_file.group(2)) > 0
    # Earlier builds' output is set aside, never deleted during the run.
    assert len(list(tmp_path.glob("set-aside-*/output"))) >= 4
    assert re.search(r"Edit-to-preview, median of 1 edits \| \d+ ms", report)
    # Each benchmark is a stage with its count (no terminal here: plain lines).
    lines = shown.getvalue().splitlines()
    for stage in ("corpus: 4 of 4 cases", "builds: 10 of 10 builds",
                  "builds, one core busy: 6 of 6 builds", "peak memory: 2 of 2 builds",
                  "edit-to-preview: 1 of 1 edits", "comment import: 20 of 20 messages"):
        assert any(line.startswith(stage) for line in lines), (stage, lines)
    assert "\x1b" not in shown.getvalue()
    # The chart: valid SVG, every ratio of the table as a labelled bar, targets marked.
    chart = ElementTree.parse(tmp_path / "bench.svg").getroot()
    assert chart.tag == f"{SVG}svg"
    texts = {"".join(node.itertext()).strip() for node in chart.iter(f"{SVG}text")}
    for row in re.findall(r"^\| (this project[^|]+) \| [^|]+ = ([\d.]+)x \|", report,
                          re.MULTILINE):
        assert row[0].strip() in texts, row
        assert f"{float(row[1]):.2f}×" in texts, row
    assert "target (wall time at most)" in texts
    assert "wall time" in texts and "CPU time (all processes)" in texts


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


def test_ctrl_c_stops_the_benchmarks_and_removes_their_work(tmp_path):
    """Interrupted during the builds: the build in progress is stopped before
    the work folder goes, a line says how far it got, nothing is written."""
    results = set(run.RESULTS.glob("*")) if run.RESULTS.exists() else set()
    bench = subprocess.Popen([sys.executable, "-m", "benchmarks.run", "--cases", "30",
                              "--repeat", "1", "--no-busy"], cwd=ROOT,
                             env={**os.environ, "TMPDIR": str(tmp_path)}, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not list(tmp_path.glob("hyva-bench-*/ours")) and time.monotonic() < deadline:
        time.sleep(0.05)
    bench.send_signal(signal.SIGINT)
    stdout, stderr = bench.communicate(timeout=300)
    assert bench.returncode == run.INTERRUPTED, stderr
    assert re.search(r"^builds: stopped after \d+ of \d+ builds", stderr, re.MULTILINE), stderr
    assert "no results were written" in stderr and "Traceback" not in stderr
    assert not list(tmp_path.glob("hyva-bench-*"))
    assert (set(run.RESULTS.glob("*")) if run.RESULTS.exists() else set()) == results


def test_check_benchmark_runs_each_kind(tmp_path):
    results = bench_check.measure(generate(3, tmp_path), tmp_path, 1)
    assert set(results) == {"cold", "warm", "one edit", "publish"}
    assert "×" not in "".join(map(str, bench_check.rows(results)))
    # The first publish made a release; the dry runs after it made none.
    assert (tmp_path / "server" / "current").is_symlink()
    assert len(list((tmp_path / "server" / "releases").iterdir())) == 1
    assert results["cold"].peak_mb > 0
    assert all(len(summary.runs) == 1 for summary in results.values())
    assert len(bench_check.rows(results)) == 5


def test_check_benchmark_pairs_the_cold_check_with_its_anchor(tmp_path):
    """The anchor is the check before the cache, from the project's history,
    run over the same built site; every time gets its ratio to the anchor's."""
    results = bench_check.measure(generate(3, tmp_path), tmp_path, 1, anchor=True)
    assert len(results["anchor"].runs) == len(results["cold"].runs) == 1
    anchor = tmp_path / f"anchor-{bench_check.ANCHOR}"
    assert not (anchor / "hyva_tools" / "check" / "cache.py").exists()
    assert (anchor / "hyva_tools" / "check" / "html_validity.py").is_file()
    table = bench_check.rows(results)
    assert len(table) == 6
    cold = next(row for row in table if row[0].startswith("invoke check, cold"))
    ratio = results["cold"].median / results["anchor"].median
    assert cold[1].endswith(f"({ratio:.3f}×)")
    assert "anchor" in table[-1][1]
