<?xml version="1.0" encoding="utf-8"?>
{# The page a browser shows for an Atom or RSS feed of the site (plugins/feed_links). #}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/">
<xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
<xsl:variable name="self" select="atom:feed/atom:link[@rel='self']/@href | rss/channel/atom:link[@rel='self']/@href"/>
<xsl:variable name="home" select="atom:feed/atom:link[@rel='alternate']/@href | rss/channel/link"/>
<html lang="{{ THEME_LANG }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="color-scheme" content="light dark"/>
<title><xsl:value-of select="$title"/> ({{ _("feed")|e }})</title>
<style>
body { margin: 0 auto; max-width: 42rem; padding: 1.5rem 1rem; font-family: system-ui, sans-serif; line-height: 1.6; color: #1c1d1f; background: #fbfbf9; }
a { color: #0a559e; }
@media (prefers-color-scheme: dark) { body { color: #e9e9ea; background: #131518; } a { color: #8cc4ff; } }
.about { border: 2px solid; border-radius: 4px; padding: .75rem 1rem; }
code { overflow-wrap: anywhere; }
li { padding: .2rem 0; }
</style>
</head>
<body>
<main>
<h1><xsl:value-of select="$title"/></h1>
<div class="about">
<p><strong>{{ _("This is a feed.")|e }}</strong> {{ _("A feed reader checks it for new cases, so you need not visit the site to see them. Copy this address into your feed reader:")|e }}</p>
<p><code><xsl:value-of select="$self"/></code></p>
</div>
<p><a href="{$home}">{{ _("Read the cases on the site")|e }}</a></p>
<h2>{{ _("In this feed")|e }}</h2>
<ul>
<xsl:for-each select="atom:feed/atom:entry | rss/channel/item">
<li><a href="{atom:link/@href | link}"><xsl:value-of select="atom:title | title"/></a></li>
</xsl:for-each>
</ul>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>
