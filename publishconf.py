"""Settings for the public site (`invoke preview`, `invoke publish`).

Deployment target and credentials are never kept here: `invoke publish`
reads HYVA_DEPLOY_TARGET (``user@host:/path`` or a local folder) from the
environment, falling back to DEPLOY_TARGET below when it is set.
"""

import os
import sys
from urllib.parse import urlsplit

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("HYVA_SITEURL", "https://hyvavastaus.fi")
SITE_ORIGIN = SITEURL
FEED_DOMAIN = SITEURL
SITE_PATH = urlsplit(SITEURL).path.rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# Default deploy target when HYVA_DEPLOY_TARGET is not set (None: refuse).
DEPLOY_TARGET = None
# How many earlier releases stay on the server for `invoke rollback`.
DEPLOY_KEEP_RELEASES = 5
