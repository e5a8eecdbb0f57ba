"""Atomic releases of the built site, over SSH with rsync or to a local folder.

Layout on the server (or in the local folder)::

    <path>/releases/<timestamp>/   one complete copy of the site each
    <path>/current -> releases/<timestamp>

A release is uploaded next to the live one, then `current` is switched in
one rename, so readers see either the old site or the new one, never a mix.
`target.py` says where and how to reach it; `releases.py` does the work.
"""

from hyva_tools.deploy.releases import DeployError, Upload, publish, rollback
from hyva_tools.deploy.target import Target, deploy_target

__all__ = ["DeployError", "Target", "Upload", "deploy_target", "publish", "rollback"]
