"""Maintainer tasks: `invoke --list` shows them all.

Each task is a thin wrapper: the work lives in small modules under
`plugins/` so that tests can call it directly.
"""

import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

PELICAN = f"{shlex.quote(sys.executable)} -m pelican"
SETTINGS = {"dev": ROOT / "pelicanconf.py", "publish": ROOT / "publishconf.py"}
OUTPUT = ROOT / "output"
CONTENT = ROOT / "content"
HOST, PORT = "127.0.0.1", 8000


def pelican(c, settings="dev", extra=""):
    c.run(f"{PELICAN} {CONTENT} -s {SETTINGS[settings]} -o {OUTPUT} {extra}", pty=False)


@task
def clean(c):
    """Remove the built site (output/)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


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
    """Build, then serve output/ on http://127.0.0.1:8000 and rebuild on changes."""
    pelican(c, extra=f"--autoreload --listen --bind {HOST} --port {port}")


def comment_settings() -> dict:
    from pelican.settings import read_settings

    return read_settings(str(SETTINGS["dev"]))


def comments_dir(settings: dict) -> Path:
    return Path(settings["PATH"]) / settings["COMMENTS_PATH"]


@task(help={"source": "mbox file, Maildir, folder of .eml files, or imap[s]://user@host:port/Folder"})
def import_comments(c, source):
    """Import approved comment mail into content/comments/ (password: $HYVA_IMAP_PASSWORD or a prompt)."""
    from invoke.exceptions import Exit

    from comments.importer import case_slugs, run_import
    from comments.sources import SourceError

    settings = comment_settings()
    try:
        report = run_import(source, comments_dir(settings),
                            case_slugs(Path(settings["PATH"]) / "cases"),
                            settings.get("COMMENT_AUTHOR_ADDRESSES", ()))
    except SourceError as error:
        raise Exit(f"import-comments: {error}", code=1)
    print(report.summary())
    if report.exit_status:
        raise Exit(code=report.exit_status)


@task(positional=["address"], help={"address": "the commenter's email address"})
def forget_commenter(c, address):
    """Delete every comment sent from ADDRESS and never import that sender again."""
    from comments.importer import forget_commenter as forget

    removed = forget(address, comments_dir(comment_settings()))
    print(f"Removed {len(removed)} comment(s); the sender will not be imported again.")
    for path in removed:
        print(f"- {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
