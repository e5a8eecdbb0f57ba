"""`python -m preview [--port N]` from plugins/: what `invoke serve` runs."""

import argparse
import logging
from pathlib import Path

from pelican.log import init as init_logging

from hyva_tools.preview import LiveSite, serve

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the site, serve it and "
                                                 "re-render edited cases at once.")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    init_logging(level=logging.WARNING, name="pelican")
    logging.getLogger("preview").setLevel(logging.INFO)
    # Full builds index the site for search, so the served search page works;
    # an instant re-render of one case leaves the index as it was.
    site = LiveSite(args.settings, args.content, args.output)
    serve(site, args.host, args.port)


if __name__ == "__main__":
    main()
