"""Placeholder until the feature lands."""


def register():
    pass
