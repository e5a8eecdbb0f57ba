"""schema.org data that search engines read from a case page (JSON-LD).

Built in Python and serialised by Jinja's `tojson`, which escapes `<` and
`&`, so no case text can close the script element. Comments are included
when the comments plugin has given the case `comments` (objects or dicts
with author, date, html, role, anchor and replies); a commenter is named,
never addressed.
"""

from __future__ import annotations

from markupsafe import Markup


def absolute_url(origin: str, path: str) -> str:
    """`https://site/<path>` with a trailing `index.html` dropped."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"{origin.rstrip('/')}/{path}"


def plain(html) -> str:
    return Markup(str(html or "")).striptags()


def case_keywords(case) -> list[str]:
    names = [str(tag) for tag in getattr(case, "tags", [])]
    for _facet, _label, values in getattr(case, "case_facets", []):
        names += [value.name for value in values]
    return list(dict.fromkeys(names))


def comment_data(getattr_, comment, page_url: str) -> dict:
    """One Comment with its replies nested as `comment` entries; the blog's
    own replies (role "author") are the organisation speaking."""
    is_blog = getattr_(comment, "role") == "author"
    data = {
        "@type": "Comment",
        "author": {"@type": "Organization" if is_blog else "Person",
                   "name": str(getattr_(comment, "author"))},
        "dateCreated": getattr_(comment, "date").isoformat(),
        "text": plain(getattr_(comment, "html")),
    }
    anchor = getattr_(comment, "anchor")
    if anchor:
        data["url"] = f"{page_url}#{anchor}"
    replies = getattr_(comment, "replies") or []
    if replies:
        data["comment"] = [comment_data(getattr_, reply, page_url) for reply in replies]
    return data


def article_data(case, settings: dict, getattr_) -> dict:
    """Article for one case; `getattr_` reads a comment field the way
    templates do (attribute or key)."""
    origin = settings["SITE_ORIGIN"]
    url = absolute_url(origin, case.url)
    author = str(case.author)
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": plain(case.title),
        "description": plain(case.summary),
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": case.lang,
        "datePublished": case.date.isoformat(),
        "dateModified": getattr(case, "modified", case.date).isoformat(),
        "author": {"@type": "Organization" if author == settings["AUTHOR"] else "Person",
                   "name": author},
        "publisher": {"@type": "Organization", "name": settings["SITENAME"],
                      "url": absolute_url(origin, "")},
        "articleSection": str(case.category),
        "keywords": case_keywords(case),
    }
    comments = getattr(case, "comments", None) or []
    if comments:
        data["commentCount"] = getattr(case, "comment_count", None) or len(comments)
        data["comment"] = [comment_data(getattr_, comment, url) for comment in comments]
    return data
