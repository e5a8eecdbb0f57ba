"""Render each case's listing entry once per page depth, not once per page.

A case appears in the index, its category, every tag and every facet value
it has, so the same entry is rendered many times over (see README, "Speed",
for what that costs and what this saves). An entry differs only with the
relative site URL of the page it is on (`..`, `../..`), so
`{{ case_summary(article) }}` renders `partials/case_summary.html` once per
case and site URL and reuses the result. The cache lives on the generator's
template environment, so every build starts with an empty one.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

TEMPLATE = "partials/case_summary.html"


def install(generator) -> None:
    rendered: dict[tuple, tuple[object, Markup]] = {}

    @pass_context
    def case_summary(context, article) -> Markup:
        key = (id(article), context.get("SITEURL"), context.get("localsiteurl"))
        entry = rendered.get(key)
        if entry is None:
            template = context.environment.get_template(TEMPLATE)
            html = Markup(template.render({**context.get_all(), "article": article}))
            # The article is kept with its entry so that its id stays unique.
            entry = rendered[key] = (article, html)
        return entry[1]

    generator.env.globals["case_summary"] = case_summary


def register() -> None:
    signals.generator_init.connect(install)
