"""`invoke check` on the corpus built for publishing: cold, warm, after one edit.

Each check runs in a fresh process, as `invoke check` does (the same
`check_output`, with the corpus as the content folder, so its check cache
lies beside the corpus). In rounds of one of each kind:

- one edit: a case's text is edited and the site rebuilt (not timed), then
  the check;
- warm: the same site checked again, nothing changed since;
- publish: another edit, then `invoke publish --dry-run` itself, every step
  (build, check, the upload's dry run) against a local folder holding the
  release a first, untimed publish put there.

Every other build goes into a new, empty folder, as `invoke publish`
builds, and the last one is set aside, not deleted (see
bench_build.set_aside).

The cold check (no cache) runs once, with its peak memory sampled, as the
first check of the corpus. With `--anchor`, it runs once a round instead,
paired with the anchor the issue's targets were set against: the check as
it was before the check cache (`ANCHOR`, taken from this repository's
history), over the same built site. Every time is then also given as a
ratio to the anchor's, which carries over from one machine to another.

    python -m benchmarks.bench_check --cases 2000 --anchor
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pelican.settings import read_settings

from hyva_tools.check import cache_file

from .bench_build import pelican_command, set_aside
from .corpus import generate
from .measure import Run, Summary, run_once

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = ROOT / "publishconf.py"
CHECK = ("import sys; from pathlib import Path; from tasks import check_output; "
         "from pelican.settings import read_settings; "
         "check_output(Path(sys.argv[1]), read_settings(sys.argv[2], "
         "override={'PATH': sys.argv[3]}))")
# The last commit before the check cache: its `invoke check` is the one the
# issue measured (63 s at 2,000 cases) and set its targets against.
ANCHOR = "b363fa5"
ANCHOR_CHECK = f"import sys; sys.path.insert(0, '.'); {CHECK}"


def check_command(content: Path, output: Path) -> list[str]:
    return [sys.executable, "-c", CHECK, str(output), str(PUBLISH), str(content)]


def anchor_tree(work: Path) -> Path:
    """The project as it was at ANCHOR, with this checkout's npm packages."""
    tree = work / f"anchor-{ANCHOR}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", ANCHOR], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    return tree


def anchor_command(tree: Path, content: Path, output: Path) -> list[str]:
    return [sys.executable, "-c", ANCHOR_CHECK, str(output), str(tree / "publishconf.py"),
            str(content)]


def edit(content: Path, number: int) -> None:
    """A new sentence at the end of one case's text."""
    cases = sorted((content / "cases").glob("*.md"))
    case = cases[(number * 7919) % len(cases)]
    case.write_text(case.read_text(encoding="utf-8")
                    + f"\nTarkistuksen mittausta varten lisätty lause {number}.\n",
                    encoding="utf-8")


def measure(content: Path, work: Path, repeat: int,
            anchor: bool = False) -> dict[str, Summary]:
    output = work / "check-site"
    build = pelican_command(content, output, "-s", str(PUBLISH))
    cache = cache_file(read_settings(str(PUBLISH), override={"PATH": str(content)}))

    def build_afresh(command: list[str]) -> Run:
        set_aside(output, work)
        return run_once(command, ROOT)

    def cold_check() -> Run:
        cache.unlink(missing_ok=True)
        return run_once(check_command(content, output), ROOT, sample_memory=True)

    build_afresh(build)
    colds, anchors = [], []
    if anchor:
        tree = anchor_tree(work)
        for _ in range(repeat):
            anchors.append(run_once(anchor_command(tree, content, output), tree,
                                    sample_memory=True))
            colds.append(cold_check())
    else:
        colds.append(cold_check())
    kinds: dict[str, list[Run]] = {"warm": [], "one edit": [], "publish": []}
    publish = [sys.executable, "-m", "invoke", "publish", "--content", str(content)]
    target = {**os.environ, "HYVA_DEPLOY_TARGET": str(work / "server")}
    run_once(publish, ROOT, env=target)
    for number in range(repeat):
        edit(content, 2 * number)
        build_afresh(build)
        kinds["one edit"].append(run_once(check_command(content, output), ROOT))
        kinds["warm"].append(run_once(check_command(content, output), ROOT))
        edit(content, 2 * number + 1)
        kinds["publish"].append(run_once([*publish, "--dry-run"], ROOT, env=target))
    return {"cold": Summary("cold", colds),
            **{name: Summary(name, runs) for name, runs in kinds.items()},
            **({"anchor": Summary("anchor", anchors)} if anchors else {})}


def rows(results: dict[str, Summary]) -> list[tuple[str, str, str]]:
    """Table rows in the runner's format (name, wall time, CPU time); with
    the anchor measured, each time is followed by its ratio to the anchor's."""
    labels = {
        "warm": "invoke check, warm, nothing changed (target 3 s)",
        "one edit": "invoke check after one case edit (target 8 s)",
        "publish": "invoke publish --dry-run after one case edit, to a local folder "
                   "(target 20 s)",
        "cold": "invoke check, cold, memory sampled (target 30 s)",
        "anchor": f"the anchor: invoke check as of {ANCHOR}, before the check cache "
                  "(63 s where the targets were set)",
    }
    anchor = results.get("anchor")

    def time(seconds: float, anchor_seconds: float | None) -> str:
        return f"{seconds:.2f} s" + (f" ({seconds / anchor_seconds:.3f}×)"
                                     if anchor_seconds else "")

    found = [(labels[name], time(summary.median, anchor and anchor.median),
              time(summary.cpu_median, anchor and anchor.cpu_median))
             for name, summary in results.items()]
    found.append(("Peak memory of a cold invoke check (target under 600 MB)",
                  f"{results['cold'].peak_mb:.0f} MB"
                  + (f" (anchor {anchor.peak_mb:.0f} MB)" if anchor else ""), ""))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--anchor", action="store_true",
                        help=f"also time the check as of {ANCHOR}, paired with the cold check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hyva-bench-check-") as work:
        content = generate(args.cases, Path(work) / "corpus")
        table = rows(measure(content, Path(work), args.repeat, args.anchor))
    print("| Benchmark | Wall time | CPU time |\n| --- | --- | --- |")
    print("\n".join(f"| {name} | {wall} | {cpu} |" for name, wall, cpu in table))


if __name__ == "__main__":
    main()
