"""Approved comment mail in, one comment file per message out (`invoke import-comments`)."""
