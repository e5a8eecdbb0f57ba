"""Atom feeds of comments, built with feedgen.

One feed per case (`COMMENT_FEED_ATOM`, subscribe to one discussion) and one
for the latest comments of the whole site (`COMMENT_FEED_ALL_ATOM`). Links
and ids are absolute (`SITE_ORIGIN`), and every date comes from the
comments themselves, so an unchanged site builds byte-identical feeds.
"""

from __future__ import annotations

from pathlib import Path

from feedgen.feed import FeedGenerator

from hyva.translations import interface


def flatten(thread):
    for comment in thread:
        yield comment
        yield from flatten(comment.replies)


def new_feed(settings, feed_path: str, title: str, page_url: str, updated) -> FeedGenerator:
    origin = settings["SITE_ORIGIN"].rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{origin}/{feed_path}")
    feed.title(title)
    feed.author({"name": settings["AUTHOR"]})
    feed.link(href=f"{origin}/{page_url}", rel="alternate", type="text/html")
    feed.link(href=f"{origin}/{feed_path}", rel="self", type="application/atom+xml")
    feed.language(settings["DEFAULT_LANG"])
    feed.updated(updated)
    return feed


def add_entries(feed: FeedGenerator, settings, commented, gettext) -> None:
    """`commented`: (article, comment) pairs, newest first."""
    origin = settings["SITE_ORIGIN"].rstrip("/")
    for article, comment in commented:
        link = f"{origin}/{article.url}#{comment.anchor}"
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.title(gettext("%(author)s commented on “%(case)s”")
                    % {"author": comment.author, "case": article.title})
        entry.author({"name": comment.author})
        entry.published(comment.date)
        entry.updated(comment.date)
        entry.content(str(comment.html), type="html")


def write(feed: FeedGenerator, output: Path, feed_path: str) -> None:
    target = output / feed_path
    target.parent.mkdir(parents=True, exist_ok=True)
    feed.atom_file(str(target), pretty=True)


def newest_first(pairs):
    return sorted(pairs, key=lambda pair: (pair[1].date, pair[1].id), reverse=True)


def write_comment_feeds(generator, writer) -> None:
    settings = generator.settings
    gettext = interface(settings).gettext
    output = Path(writer.output_path)
    site = settings["SITENAME"]
    latest = []
    for article in generator.articles:
        commented = newest_first((article, comment) for comment in flatten(article.comments))
        latest.extend(commented)
        feed_path = settings["COMMENT_FEED_ATOM"] and settings["COMMENT_FEED_ATOM"].format(
            slug=article.slug)
        if feed_path:
            title = gettext("%(site)s: comments on “%(case)s”") % {"site": site,
                                                                    "case": article.title}
            updated = commented[0][1].date if commented else article.date
            feed = new_feed(settings, feed_path, title, article.url, updated)
            add_entries(feed, settings, commented, gettext)
            write(feed, output, feed_path)
    feed_path = settings["COMMENT_FEED_ALL_ATOM"]
    if feed_path and generator.articles:
        latest = newest_first(latest)[:settings["FEED_MAX_ITEMS"]]
        updated = latest[0][1].date if latest else max(a.date for a in generator.articles)
        feed = new_feed(settings, feed_path, gettext("%(site)s: latest comments") % {"site": site},
                        "", updated)
        add_entries(feed, settings, latest, gettext)
        write(feed, output, feed_path)
