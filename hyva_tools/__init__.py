"""Maintainer tools, each behind an `invoke` task in tasks.py.

`check` (the pre-publish checks), `deploy` (releases over rsync), `preview`
(the instant preview server), `scaffold` (`invoke new`) and
`comment_import` (approved mail into comment files). They import Pelican
and the shared core (`hyva`), never a plugin.
"""
