"""Settings that a plugin owns: its defaults and the shape each must have.

As pelican-plugins' sitemap does, each plugin declares its settings with a
default and checks them once when the build starts, so a typo in
pelicanconf.py stops the build with the setting's name and what it expects
instead of surfacing later as a traceback in a template.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass


class SettingsError(SystemExit):
    """A setting has the wrong shape: exit status 1 and the reason."""

    def __init__(self, problem: str):
        super().__init__(f"pelicanconf.py: {problem}")


@dataclass(frozen=True)
class Setting:
    default: object
    kinds: type | tuple[type, ...]
    expects: str
    check: Callable[[object], str | None] | None = None
    """Returns a problem with a value of the right type, or None."""


def settle(settings: dict, declared: dict[str, Setting]) -> None:
    """Fill in each missing setting's default, then check every one."""
    for name, setting in declared.items():
        value = settings.setdefault(name, copy.deepcopy(setting.default))
        if not isinstance(value, setting.kinds):
            raise SettingsError(f"{name} must be {setting.expects}, not {value!r}")
        problem = setting.check(value) if setting.check else None
        if problem:
            raise SettingsError(f"{name}: {problem}")


def is_positive(value) -> str | None:
    return None if value > 0 else "must be at least 1"
