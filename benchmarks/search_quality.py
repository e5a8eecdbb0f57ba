"""Search quality with and without Finnish compound splitting.

    python -m benchmarks.search_quality [--cases 2000] [--repeat 3]

Builds the real content and a generated corpus (corpus.py) twice each,
with SEARCH_COMPOUNDS on and off, runs the queries of search_queries.toml
through Pagefind's own search in headless Chromium, and reports for each
kind of query recall@10 (of the cases a query should find, the share among
its first ten results, out of at most ten) and the mean reciprocal rank
of the first such case; for misses, the share of queries that found
nothing. Also the index size and the build time splitting adds (medians of
cold builds, `--ignore-cache`).

Which cases a query should find comes from the patterns in the queries
file, matched against the text of the pages readers get, so the measure
does not lean on the splitter it measures. The table is printed and
written to benchmarks/results/ (not committed).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import statistics
import sys
import tempfile
import threading
import tomllib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup

from .corpus import generate
from .measure import run_once

ROOT = Path(__file__).resolve().parents[1]
QUERIES = Path(__file__).with_name("search_queries.toml")
RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = Path("/usr/bin/chromium")
KINDS = ("part", "inflected part", "whole", "multi", "miss")
TOP = 10


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    site: str
    match: tuple[str, ...]


def load_queries(path: Path = QUERIES) -> list[Query]:
    with path.open("rb") as file:
        entries = tomllib.load(file)["query"]
    queries = [Query(entry["q"], entry["kind"], entry["site"], tuple(entry["match"]))
               for entry in entries]
    unknown = {query.kind for query in queries} - set(KINDS)
    if unknown:
        raise SystemExit(f"{path}: unknown kind {sorted(unknown)}; use one of {KINDS}")
    return queries


def indexed_texts(output: Path) -> dict[str, str]:
    """Each case page's URL and the text Pagefind is meant to index, from
    the page readers get: the case without its facts list and table of
    contents, and the comments' text, in lower case."""
    texts = {}
    for page in output.glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        body = soup.select_one("[data-pagefind-body]")
        if body is None:
            continue
        for left_out in body.select(".case-facts, nav, sup, [aria-hidden=true]"):
            left_out.decompose()
        comments = " ".join(text.get_text(" ") for text in soup.select(".comment-text"))
        url = "/" + page.parent.relative_to(output).as_posix() + "/"
        texts[url] = f"{body.get_text(' ')} {comments}".lower()
    return texts


def expected(query: Query, texts: dict[str, str]) -> set[str]:
    if not query.match:
        return set()
    return {url for url, text in texts.items()
            if all(re.search(pattern, text) for pattern in query.match)}


@contextmanager
def serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


SEARCH = """async ([terms, top]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const found = {};
  for (const term of terms) {
    const search = await pagefind.search(term);
    const first = await Promise.all(search.results.slice(0, top).map((r) => r.data()));
    found[term] = {count: search.results.length, urls: first.map((data) => data.url)};
  }
  return found;
}"""


def search_all(output: Path, terms: list[str], browser=None) -> dict[str, dict]:
    """Each term's result count and first TOP URLs, from Pagefind's JS API,
    in `browser` (a Playwright browser) or in a Chromium of its own."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
            try:
                return search_all(output, terms, own)
            finally:
                own.close()
    with serve(output) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}/haku/")
            return page.evaluate(SEARCH, [terms, TOP])
        finally:
            page.close()


def build(content: Path, output: Path, compounds: bool, cache: Path) -> float:
    """A cold build's wall time in seconds."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(output), "--ignore-cache", "-e", f'CACHE_PATH="{cache}"',
               f"SEARCH_COMPOUNDS={'true' if compounds else 'false'}"]
    return run_once(command, cwd=ROOT).seconds


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@dataclass
class Scores:
    recall: float | None
    mrr: float | None
    queries: int
    skipped: int  # queries with no case to find on this site


def score(queries: list[Query], found: dict[str, dict], texts: dict[str, str]) -> dict:
    """Per kind of query: recall@TOP and MRR, or for misses the share of
    queries that found nothing (as `recall`)."""
    recalls, ranks, skipped = defaultdict(list), defaultdict(list), defaultdict(int)
    for query in queries:
        result = found[query.q]
        if query.kind == "miss":
            recalls[query.kind].append(1.0 if result["count"] == 0 else 0.0)
            continue
        wanted = expected(query, texts)
        if not wanted:
            skipped[query.kind] += 1
            continue
        urls = result["urls"]
        recalls[query.kind].append(len(wanted & set(urls)) / min(TOP, len(wanted)))
        rank = next((position for position, url in enumerate(urls, 1) if url in wanted), None)
        ranks[query.kind].append(1 / rank if rank else 0.0)
    return {kind: Scores(statistics.mean(recalls[kind]) if recalls[kind] else None,
                         statistics.mean(ranks[kind]) if ranks[kind] else None,
                         len(recalls[kind]), skipped[kind])
            for kind in KINDS}


def measure_site(name: str, content: Path, queries: list[Query], work: Path,
                 repeat: int, browser=None) -> dict:
    """Both builds of one site, `repeat` times each (alternating), and the
    scores of the last build of each."""
    queries = [query for query in queries if query.site == name]
    seconds, sizes, scores = defaultdict(list), {}, {}
    for round_ in range(repeat):
        for compounds in (True, False):
            output = work / f"{name}-{compounds}-{round_}"
            seconds[compounds].append(build(content, output, compounds, work / "cache"))
            sizes[compounds] = folder_bytes(output / "pagefind")
    texts = indexed_texts(work / f"{name}-True-{repeat - 1}")
    for compounds in (True, False):
        found = search_all(work / f"{name}-{compounds}-{repeat - 1}",
                           sorted({query.q for query in queries}), browser)
        scores[compounds] = score(queries, found, texts)
    return {"cases": len(texts), "seconds": {key: statistics.median(value)
                                              for key, value in seconds.items()},
            "bytes": sizes, "scores": scores}


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def report(sites: dict[str, dict]) -> str:
    lines = ["| Site | Queries | Kind | recall@10 split | recall@10 unsplit "
             "| MRR split | MRR unsplit |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, site in sites.items():
        split, unsplit = site["scores"][True], site["scores"][False]
        for kind in KINDS:
            scored = split[kind]
            label = f"{scored.queries}" + (f" (+{scored.skipped} with nothing to find)"
                                           if scored.skipped else "")
            kind_label = "miss (found nothing)" if kind == "miss" else kind
            lines.append(f"| {name}, {site['cases']} cases | {label} | {kind_label} "
                         f"| {number(scored.recall)} | {number(unsplit[kind].recall)} "
                         f"| {number(scored.mrr)} | {number(unsplit[kind].mrr)} |")
    lines += ["", "| Site | Build, split | Build, unsplit | Added | Index, split "
              "| Index, unsplit | Added |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, site in sites.items():
        seconds, size = site["seconds"], site["bytes"]
        lines.append(
            f"| {name} | {seconds[True]:.2f} s | {seconds[False]:.2f} s "
            f"| {100 * (seconds[True] / seconds[False] - 1):+.1f} % "
            f"| {size[True] / 1e6:.2f} MB | {size[False] / 1e6:.2f} MB "
            f"| {100 * (size[True] / size[False] - 1):+.1f} % |")
    return "\n".join(lines) + "\n"


def run(cases: int, repeat: int, work: Path, browser=None) -> str:
    """The report for the real content and a corpus of `cases` cases."""
    queries = load_queries()
    corpus = generate(cases, work / "corpus")
    sites = {"real": measure_site("real", ROOT / "content", queries, work, repeat, browser),
             "corpus": measure_site("corpus", corpus, queries, work, repeat, browser)}
    return report(sites)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-quality-") as work:
        table = run(args.cases, args.repeat, Path(work))
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"search-quality-{stamp}.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
