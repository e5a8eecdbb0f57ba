"""Settings for the public site (`invoke preview`, `invoke publish`).

Deployment target and credentials are never kept here: `invoke publish`
reads HYVA_DEPLOY_TARGET (``user@host:/path`` or a local folder) from the
environment, falling back to DEPLOY_TARGET below when it is set.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import load_source

# Every setting of pelicanconf.py, loaded by path (from any working folder);
# what differs on the public site follows.
_local = load_source("pelicanconf", str(Path(__file__).with_name("pelicanconf.py")))
globals().update({name: value for name, value in vars(_local).items() if name.isupper()})

SITEURL = os.environ.get("HYVA_SITEURL", "https://hyvavastaus.fi")
SITE_ORIGIN = SITEURL
FEED_DOMAIN = SITEURL
SITE_PATH = urlsplit(SITEURL).path.rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# --- Deploying (`invoke publish`, `invoke rollback`; hyva_tools/deploy) ---
# Default deploy target when HYVA_DEPLOY_TARGET is not set (None: refuse):
# "user@host:/srv/hyvavastaus" over SSH, or a local folder. Releases go to
# <target>/releases/<timestamp>/ and <target>/current points at the live one.
# HYVA_DEPLOY_SSH is the ssh command ("ssh -i ~/.ssh/deploy -p 2222");
# HYVA_DEPLOY_RSYNC_OPTS adds rsync options (e.g. "--bwlimit=500").
DEPLOY_TARGET = None
# How many releases stay on the server, the live one included, for
# `invoke rollback`.
DEPLOY_KEEP_RELEASES = 5
# Unpublished cases never reach the public build: drafts are not written at
# all, and a case dated in the future stays a draft until its date (`invoke
# check` fails the publish if one is in the output anyway).
WITH_FUTURE_DATES = False
# A henkilötunnus, phone number, IBAN or card number in a case's or page's
# source stops the public build (plugins/personal_data).
PERSONAL_DATA_IN_SOURCES = "fail"
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
