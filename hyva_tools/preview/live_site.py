"""A Pelican build kept in memory, so one edited case re-renders alone."""

from __future__ import annotations

import copy
import logging
import os
import tempfile
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings
from pelican.writers import Writer

from hyva.cases import read_text
from hyva.header import read_header

logger = logging.getLogger(__name__)


class LiveSite:
    """The site of `settings_file` built from `content` into `output`.

    `build()` is a normal full build that also keeps the generators;
    `refresh_case(path)` then re-reads one case and rewrites its page.
    """

    def __init__(self, settings_file: Path, content: Path, output: Path,
                 overrides: dict | None = None):
        self.settings_file = Path(settings_file).resolve()
        self.overrides = {"PATH": str(Path(content).resolve()),
                          "OUTPUT_PATH": str(Path(output).resolve()),
                          "DEBUG": False, **(overrides or {})}
        self.articles: ArticlesGenerator | None = None
        self.settings = self._read_settings()
        self._nothing = tempfile.TemporaryDirectory(prefix="preview-empty-")

    @property
    def content(self) -> Path:
        return Path(self.overrides["PATH"])

    @property
    def output(self) -> Path:
        return Path(self.overrides["OUTPUT_PATH"])

    def watched_folders(self) -> list[Path]:
        return [self.content, Path(self.settings["THEME"])]

    def build(self) -> None:
        """A full build, exactly as `pelican` runs it, keeping the generators."""
        self.settings = self._read_settings()
        self.articles = None
        signals.all_generators_finalized.connect(self._keep_generators)
        try:
            Pelican(self.settings).run()
        finally:
            signals.all_generators_finalized.disconnect(self._keep_generators)

    def _read_settings(self) -> dict:
        return read_settings(str(self.settings_file), override=self.overrides)

    def _keep_generators(self, generators) -> None:
        self.articles = next(g for g in generators if isinstance(g, ArticlesGenerator))

    def case(self, source_path: str) -> Article | None:
        """The built article read from `source_path`, if there is one."""
        if self.articles is None:
            return None
        generated = self.articles.context["generated_content"]
        relative = os.path.relpath(source_path, self.articles.path)
        found = generated.get(relative.replace(os.sep, "/"))
        return found if isinstance(found, Article) else None

    def refresh_case(self, source_path: str) -> bool:
        """Re-read one case and rewrite its page; False if its header changed
        (listings, feeds and facet pages then need a full build).

        The article object is updated in place, so every listing, tag and
        facet that holds it sees the new text. The whole-site hooks that ran
        after reading (reading time, table of contents, comments, related
        cases) run again on this case alone; a value they give differently
        when the case is alone (related or neighbouring cases) is taken
        from the last full build instead.
        """
        article = self.case(source_path)
        generator = self.articles
        fresh = generator.readers.read_file(
            base_path=generator.path, path=os.path.relpath(source_path, generator.path),
            content_class=Article, context=generator.context,
            preread_signal=signals.article_generator_preread, preread_sender=generator,
            context_signal=signals.article_generator_context, context_sender=generator)
        same_header = same_header_fields(Path(source_path), fresh.metadata, article.metadata)
        built = dict(article.__dict__)
        alone_before = self._finish_alone(article)
        article.__dict__.update(built)
        article.__dict__.update(fresh.__dict__)
        forget_memoized(article)
        article.refresh_metadata_intersite_links()
        for key, value in self._finish_alone(article).items():
            if key in fresh.__dict__ or key not in built:
                continue
            shared = alone_before.get(key) != built[key]
            article.__dict__[key] = built[key] if shared else value
        self._write(article)
        return same_header

    def _finish_alone(self, article: Article) -> dict:
        """Run the `article_generator_finalized` hooks as if `article` were the
        only case, on a copy of the generator, its context and its settings;
        returns the article's attributes then.

        Only this case's file changed, so nothing a hook reads from the
        content folder (comments) can differ: the copy's PATH is an empty
        folder, which keeps the hooks cheap, and their values then come
        from the full build. Complaints about the missing cases and files
        are not real problems, so they are not logged."""
        alone = copy.copy(self.articles)
        alone.context = dict(self.articles.context)
        alone.settings = {**self.settings, "PATH": self._nothing.name}
        alone.articles, alone.dates = [article], [article]
        alone.translations, alone.hidden_articles, alone.hidden_translations = [], [], []
        alone.drafts, alone.drafts_translations = [], []
        logging.disable(logging.CRITICAL)
        try:
            signals.article_generator_finalized.send(alone)
        finally:
            logging.disable(logging.NOTSET)
        return dict(article.__dict__)

    def _write(self, article: Article) -> None:
        """What `ArticlesGenerator.generate_articles` does for one article,
        written beside the output and renamed into place, so the server
        never sends half a page.

        The page was announced (`content_written`) by the last full build;
        announcing it again would list it twice in whole-site files such as
        the sitemap of the next full build."""
        generator = self.articles
        signals.article_generator_write_article.send(generator, content=article)
        with tempfile.TemporaryDirectory(dir=generator.output_path, prefix=".preview-") as staging:
            writer = Writer(staging, settings=self.settings)
            with signals.content_written.muted():
                writer.write_file(
                    article.save_as, generator.get_template(article.template),
                    generator.context, relative_urls=self.settings["RELATIVE_URLS"],
                    article=article, category=getattr(article, "category", None),
                    override_output=hasattr(article, "override_save_as"), url=article.url,
                    blog=True)
            target = Path(generator.output_path, article.save_as)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(staging, article.save_as), target)


def same_header_fields(source: Path, fresh: dict, built: dict) -> bool:
    """Whether the header fields are as Pelican read them last time: those
    the file has now, and those it no longer has. What plugins derive from
    the body (reading time, toc) is not a header field."""
    fields = set(read_header(read_text(source))) | (set(built) - set(fresh))
    return all(fresh.get(key) == built.get(key) for key in fields)


def forget_memoized(article: Article) -> None:
    """Pelican memoizes content and summary per object: drop the old text."""
    for method in (Article.get_content, Article.get_summary):
        for key in [key for key in method.cache if key[0] is article]:
            del method.cache[key]
