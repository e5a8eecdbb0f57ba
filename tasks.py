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
