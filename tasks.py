"""Maintainer tasks: `invoke --list` shows them all.

Each task is a thin wrapper: the work lives in the maintainer tools
(`hyva_tools/`), so that tests can call it directly.
"""

import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent

PELICAN = f"{shlex.quote(sys.executable)} -m pelican"
SETTINGS = {"dev": ROOT / "pelicanconf.py", "publish": ROOT / "publishconf.py"}
OUTPUT = ROOT / "output"
CONTENT = ROOT / "content"
HOST, PORT = "127.0.0.1", 8000
# Exit status of a command stopped with Ctrl-C, as a shell reports it.
INTERRUPTED = 130


def site_settings(which: str, content: str | None = None) -> dict:
    """Pelican's settings from pelicanconf.py ("dev") or publishconf.py
    ("publish"), for another content folder if one is given."""
    from pelican.settings import read_settings

    overrides = {"PATH": str(Path(content).resolve())} if content else None
    return read_settings(str(SETTINGS[which]), override=overrides)


def pelican(c, settings="dev", extra="", output=OUTPUT, content=CONTENT):
    c.run(f"{PELICAN} {shlex.quote(str(content))} -s {SETTINGS[settings]} "
          f"-o {shlex.quote(str(output))} {extra}", pty=False)


@task
def clean(c):
    """Remove the built site (output/) and the reader cache (cache/)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    shutil.rmtree(ROOT / "cache", ignore_errors=True)


@task
def build(c):
    """Build the site into output/ with pelicanconf.py."""
    pelican(c)


@task(pre=[clean, build])
def rebuild(c):
    """Remove output/ and build from scratch."""


@task
def preview(c):
    """Build with publishconf.py, as the public site will be."""
    pelican(c, "publish")


@task(help={"port": f"port on {HOST} (default {PORT})"})
def serve(c, port=PORT):
    """Build, serve output/ on http://127.0.0.1:8000, re-render edited cases at once."""
    c.run(f"{shlex.quote(sys.executable)} -m hyva_tools.preview --port {int(port)}", pty=False)


@task(help={"cases": "size of the synthetic corpus (default 2000)",
            "repeat": "builds of each kind; medians are reported (default 3)",
            "check_anchor": "also time the check as it was before the check cache, "
                            "paired with the cold check"})
def bench(c, cases=2000, repeat=3, check_anchor=False):
    """Benchmarks: full build vs vanilla Pelican, edit-to-preview, comment import."""
    with c.cd(str(ROOT)):
        c.run(f"{shlex.quote(sys.executable)} -m benchmarks.run --cases {int(cases)} "
              f"--repeat {int(repeat)}" + (" --check-anchor" if check_anchor else ""),
              pty=False)


CONTENT_HELP = "content folder (default: PATH of pelicanconf.py)"


@task(help={"source": "mbox file, Maildir, folder of .eml files, or imap[s]://user@host:port/Folder",
            "content": CONTENT_HELP,
            "dry_run": "write nothing; show what would be published and what rejected, and why",
            "output": "with --dry-run: also write that preview as one HTML page to this file"})
def import_comments(c, source, content=None, dry_run=False, output=None):
    """Import approved comment mail into content/comments/ (IMAP password: $HYVA_IMAP_PASSWORD).

    Exit status 1 when any mail is rejected (or, with --dry-run, would be)
    or the import refuses to run."""
    from invoke.exceptions import Exit

    from hyva.cases import case_sources, comments_root, ignored, is_slug
    from hyva.errors import ContentError, shown_path
    from hyva.identifiers import labels as identifier_labels
    from hyva.privacy import KeyProblem, address_mask, printable
    from hyva_tools.comment_import.importer import Busy, run_import
    from hyva_tools.comment_import.sources import SourceError
    from hyva_tools.progress import Progress

    if output and not dry_run:
        raise Exit("import-comments: --output writes the dry run's preview. Fix: add --dry-run",
                   code=1)
    settings = site_settings("dev", content)
    mask = address_mask(settings)
    try:
        cases = case_sources(settings)
        for case in cases:
            if not is_slug(case.slug):
                line = case.header.get("slug", (1, ""))[0]
                print(printable(f"{shown_path(case.path)}:{line}: the slug {case.slug!r} is not "
                                "one path segment; no comments are imported for it. Fix: give "
                                "the case a Slug without / or ..", mask))
        with Progress() as progress:
            report = run_import(
                source, comments_root(settings),
                {case.slug for case in cases if case.status != "draft"},
                settings.get("COMMENT_AUTHOR_ADDRESSES", ()), mask=mask,
                author_header=settings.get("COMMENT_AUTHOR_HEADER"),
                draft_cases={case.slug for case in cases if case.status == "draft"},
                ignored=lambda name: ignored(name, settings), dry_run=dry_run,
                progress=progress, labels=identifier_labels(settings))
    except (SourceError, KeyProblem, Busy, ContentError) as error:
        raise Exit(printable(f"import-comments: {error}", mask), code=1) from None
    except KeyboardInterrupt:
        raise Exit("import-comments: interrupted. Every comment written so far is complete and "
                   "nothing in the source was changed; run the same command again to import "
                   "the rest.", code=INTERRUPTED) from None
    if dry_run:
        show_preview(report, source, settings, output)
    print(report.summary(mask, identifier_labels(settings)))
    if report.exit_status:
        raise Exit(code=report.exit_status)


def show_preview(report, source: str, settings: dict, output: str | None) -> None:
    """The dry run's preview on the terminal, and as an HTML page in `output`."""
    from invoke.exceptions import Exit

    from hyva.privacy import address_mask
    from hyva.translations import interface
    from hyva_tools.comment_import.preview import preview_html, preview_text

    mask, anonymous = address_mask(settings), interface(settings).gettext("Anonymous")
    print(preview_text(report, anonymous, mask))
    if output:
        page = preview_html(report, source, anonymous, settings["DEFAULT_LANG"], mask)
        try:
            Path(output).write_text(page, encoding="utf-8")
        except OSError as error:
            raise Exit(f"import-comments: cannot write the preview to {output}: "
                       f"{error.strerror}. Fix: give --output a file in a writable folder",
                       code=1) from None
        print(f"Preview written to {output}.")


@task(positional=["case", "comment"], help={
    "case": "the case's slug, as in its address and in content/comments/<case-slug>/",
    "comment": "the comment's id (its link ends #kommentti-<id>)",
    "reason": "why, for the record in content/comments/.removed",
    "content": CONTENT_HELP})
def remove_comment(c, case, comment, reason="", content=None):
    """Take one comment down for good; its replies move up to its parent."""
    from hyva.privacy import printable
    from hyva_tools.comment_import.takedown import NoSuchComment
    from hyva_tools.comment_import.takedown import remove_comment as take_down

    removal = change_comments(
        "remove-comment", "removal", content, (NoSuchComment,),
        lambda folder, ignored: take_down(folder, case, comment, reason, ignored=ignored))
    done = "was already removed; tidied" if removal.already else "removed"
    print(printable(f"Comment {comment} of {case} {done}; {len(removal.moved)} reply(ies) moved "
                    "up to its parent. Re-imports skip it, and publishing drops older releases "
                    "that show it."))


def change_comments(name: str, what: str, content: str | None, refusals: tuple, change):
    """`change(comments folder, ignored)`, whose `refusals`, a busy folder,
    a broken comment file or an unwritable folder exit 1 with the fix, and
    Ctrl-C exits 130 saying that a rerun finishes the work."""
    from invoke.exceptions import Exit

    from hyva.cases import comments_root, ignored
    from hyva.errors import ContentError
    from hyva.privacy import KeyProblem, address_mask, printable
    from hyva_tools.comment_import.importer import Busy

    settings = site_settings("dev", content)
    mask = address_mask(settings)
    try:
        return change(comments_root(settings), lambda name: ignored(name, settings))
    except KeyboardInterrupt:
        raise Exit(f"{name}: interrupted. Every file is whole; run the same command again to "
                   f"finish the {what}.", code=INTERRUPTED) from None
    except (*refusals, KeyProblem, Busy, ContentError) as error:
        raise Exit(printable(f"{name}: {error}", mask), code=1) from None
    except OSError as error:
        raise Exit(printable(f"{name}: cannot write in {error.filename}: "
                             f"{error.strerror}. Fix: make {comments_root(settings)} writable "
                             f"and run it again; the {what} is finished then", mask),
                   code=1) from None


@task(positional=["address"], help={"address": "the commenter's email address (or Name <address>)",
                                    "content": CONTENT_HELP})
def forget_commenter(c, address, content=None):
    """Delete every comment from ADDRESS (+tag variants too); never import that sender again."""
    from hyva.privacy import address_mask, printable
    from hyva_tools.comment_import.importer import NotAnAddress
    from hyva_tools.comment_import.importer import forget_commenter as forget
    from hyva_tools.progress import Progress

    with Progress() as progress:
        removed = change_comments(
            "forget-commenter", "erasure", content, (NotAnAddress,),
            lambda folder, ignored: forget(address, folder, ignored=ignored, progress=progress))
    mask = address_mask(site_settings("dev", content))
    print(f"Removed {len(removed)} comment(s); the sender will not be imported again, and the "
          "erasure is logged so that publishing removes older releases holding them.")
    for path in removed:
        print(printable(f"- {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", mask))


# --- Maintainer workflow: livereload, new, check, publish, rollback ---

@task(help={"port": f"port on {HOST} (default {PORT})"})
def livereload(c, port=PORT):
    """Serve output/ and refresh the browser whenever content, theme, plugins or settings change."""
    from invoke.exceptions import UnexpectedExit
    from livereload import Server

    def rebuild_site():
        try:
            pelican(c)
        except UnexpectedExit:
            print("livereload: the build failed (see above); fix it and save again.")

    rebuild_site()
    server = Server()
    for watched in (CONTENT, ROOT / "theme", ROOT / "plugins", ROOT / "hyva", SETTINGS["dev"]):
        server.watch(str(watched), rebuild_site)
    server.serve(host=HOST, port=int(port), root=str(OUTPUT))


@task(positional=["title"], iterable=["facet"], help={
    "title": "the case's title, in Finnish; its slug names the file",
    "category": "Category (default: the one most cases use)",
    "tags": "Tags, comma-separated",
    "facet": "name=value of a CASE_FACETS facet, repeatable (default: each facet's first value)",
    "folder": "a subfolder of content/cases/ to put the case in, e.g. 2024",
})
def new(c, title, category=None, tags="", facet=None, folder=None):
    """Create a draft case content/cases/[<folder>/]<slug>.md with a comparison skeleton."""
    from invoke.exceptions import Exit

    from hyva.errors import ContentError
    from hyva_tools.scaffold import ScaffoldError, create_case

    try:
        path = create_case(title, site_settings("dev"), category=category, tags=tags,
                           facets=facet or [], folder=folder)
    except (ScaffoldError, ContentError) as error:
        raise Exit(f"new: {error}", code=1) from None
    print(f"Created {path.relative_to(ROOT)} (Status: draft). "
          "Remove the Status line to publish it.")


@task(help={"settings": "what output/ was built with: publish (default) or dev",
            "no_cache": "check every file again, ignoring (and renewing) the check cache",
            "timings": "print the time each check took"})
def check(c, settings="publish", no_cache=False, timings=False):
    """Check output/ before publishing: HTML, feeds, links, addresses, unpublished content."""
    check_output(OUTPUT, site_settings(settings), use_cache=not no_cache, timings=timings)


def check_output(output: Path, settings: dict, use_cache: bool = True,
                 timings: bool = False, progress=None) -> None:
    """Run every check on the site in `output`, reusing the check cache for
    files that passed before; exit 1 with the list if any fails. Its
    progress joins `progress`, the display of a command that runs it."""
    from invoke.exceptions import Exit

    from hyva_tools.check import CHECKS, CheckCache, cache_file, report, run_checks, summary

    cache = CheckCache(cache_file(settings), reuse=use_cache)
    try:
        run = run_checks(output, settings, CHECKS, cache, progress)
    except KeyboardInterrupt:
        raise Exit("check: stopped; what was checked so far is kept in the check cache, "
                   "nothing was judged", code=130) from None
    finally:
        cache.close()
    print("\n".join(summary(run, timings)))
    shown = (f"{output.relative_to(ROOT)}/" if output.is_relative_to(ROOT)
             else "the site built for publishing")
    if run.problems:
        raise Exit(f"check: the site must not be published as it is:\n{report(run.problems)}",
                   code=1)
    print(f"check: {shown} passed every check.")


@task(help={"dry_run": "build and check, then list what would change on the server, "
                       "changing nothing",
            "content": CONTENT_HELP})
def publish(c, dry_run=False, content=None):
    """Build with publishconf.py into a folder of its own, check it, deploy exactly that."""
    import signal
    import tempfile

    from invoke.exceptions import Exit

    from hyva.cases import comments_root
    from hyva_tools.deploy import DeployError, deploy_target
    from hyva_tools.deploy import publish as deploy
    from hyva_tools.deploy.target import TargetError
    from hyva_tools.progress import Progress

    settings = site_settings("publish", content)
    try:
        target = deploy_target(settings)
    except TargetError as error:
        raise Exit(f"publish: {error}", code=1) from None
    # What is uploaded is what was checked: a build of its own, which no
    # `invoke build` or livereload running meanwhile can touch. A TERM signal
    # still removes it (and ends rsync, see hyva_tools/deploy).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    with tempfile.TemporaryDirectory(prefix="hyva-publish-") as folder, Progress() as progress:
        built = Path(folder) / "site"
        try:
            with progress.stage("build", unit="files") as stage:
                pelican(c, "publish", output=built, content=settings["PATH"])
                stage.advance(sum(1 for path in built.rglob("*") if path.is_file()))
            with progress.stage("check", total=1, unit="sites") as stage:
                check_output(built, settings, progress=progress)
                stage.advance()
            upload = deploy(built, target, settings["DEPLOY_KEEP_RELEASES"], dry=dry_run,
                            rsync_options=shlex.split(os.environ.get("HYVA_DEPLOY_RSYNC_OPTS", "")),
                            erasures=erasures(comments_root(settings)), on_wait=lambda: print(
                                f"publish: waiting for another publish or rollback to {target}"),
                            progress=progress)
        except DeployError as error:
            raise Exit(f"publish: {error}", code=1) from None
        except KeyboardInterrupt:
            raise Exit("publish: interrupted. A release goes live only in its last step, one "
                       "rename, so the site serves the old release or the new one, never a mix; "
                       "an unfinished upload is removed by the next publish.",
                       code=INTERRUPTED) from None
    if dry_run:
        print("\n".join(upload.changes))
        print(f"Dry run: {upload.files_transferred} file(s) would be uploaded to {target}, "
              f"{len(upload.changes)} change(s) in all; nothing was changed.")
    else:
        print(f"Published release {upload.release} to {target}: {upload.files_transferred} "
              f"file(s) uploaded. `invoke rollback` brings back {upload.previous or 'nothing'}.")


def erasures(comments: Path) -> list[str]:
    """The commenter erasures made so far, as each release records them."""
    from hyva.privacy import erasure_times

    return [moment.isoformat() for moment in erasure_times(comments)]


@task
def rollback(c):
    """Make the release live before the last publish not yet undone live again."""
    from invoke.exceptions import Exit

    from hyva.cases import comments_root
    from hyva_tools.deploy import DeployError, deploy_target
    from hyva_tools.deploy import rollback as roll_back
    from hyva_tools.deploy.target import TargetError

    settings = site_settings("publish")
    try:
        target = deploy_target(settings)
        left, restored = roll_back(target, erasures=erasures(comments_root(settings)))
    except (TargetError, DeployError) as error:
        raise Exit(f"rollback: {error}", code=1) from None
    print(f"Rolled back {target} from release {left} to {restored}.")
