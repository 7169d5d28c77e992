"""When each part of the extension runs: every priority, in one place.

Transforms run while a document is read, lowest priority first (Sphinx's
own: SmartQuotes 750, the domains' 850, ``doctree-read`` 880). Post-
transforms run when it is written. Event handlers of one event run lowest
priority first too (Sphinx's default is 500). The order, and why:

1. ``builder-inited``: what the last build kept for itself is dropped
   (:data:`BUILD_STATE`); the Jekyll site (``_data``, ``site.*``) is read
   (:data:`JEKYLL_SITE`) before the publication gate scans the posts with it
   (:data:`GATE_SCAN`), before anything is read; a site of posts without a
   root page gets one once the posts are known (:data:`ROOT_PAGE`).
2. Reading a post, transforms: kramdown attribute lists give links their
   classes (:data:`ATTRIBUTE_LISTS`, before SmartQuotes curls their quotes);
   raw HTML gets its fallbacks (:data:`RAW_HTML`); links with the class
   ``button`` become buttons (:data:`BUTTON_LINKS`); old URLs become
   cross-references (:data:`SITE_LINKS`, before MyST resolves links); the post
   page gets its title, hero, lead and buttons (:data:`POST_PAGE`, before
   Sphinx collects titles and images); files outside the tree are refused
   (:data:`CONFINED_FILES`, before ``doctree-read`` copies them).
3. ``env-get-outdated``: the unpublished posts leave what discovery found
   before any other handler sees it (:data:`GATE_DISCOVERY`).
   ``env-purge-doc``: the images only a purged post used are noted before
   Sphinx's collectors forget them (:data:`PURGE_NOTES`).
4. Writing: links to unpublished posts become their text before MyST (9)
   and Sphinx (10) resolve links (:data:`UNPUBLISHED_LINKS`, a
   post-transform); the hero banner takes the lead and buttons
   (:data:`HERO_BANNER`, a post-transform); report years are assembled at ``doctree-resolved``
   before PDF checks look at the result (:data:`PRINTABLE`); social metadata
   is handed to sphinxext-opengraph before its own handler
   (:data:`SOCIAL_METADATA`), after the page's language is set
   (:data:`PAGE_LANGUAGE`), which the feed links of the page follow (500).
5. ``build-finished``: archive pages no longer written are deleted
   (:data:`GONE_PAGES`); feeds and sitemaps (500), then redirects, which must
   respect every file already written (:data:`REDIRECTS`), then the leak
   audit, which reads everything (:data:`LEAK_AUDIT`).
"""

# builder-inited
BUILD_STATE = 0
JEKYLL_SITE = 400
GATE_SCAN = 500
ROOT_PAGE = 600
# config-inited: report years become LaTeX documents once the values are checked (500).
REPORT_DOCUMENTS = 600
# transforms
ATTRIBUTE_LISTS = 400
RAW_HTML = 410
BUTTON_LINKS = 415
SITE_LINKS = 420
POST_PAGE = 500
CONFINED_FILES = 870
# env-get-outdated
GATE_DISCOVERY = 0
# env-purge-doc
PURGE_NOTES = 100
# writing
UNPUBLISHED_LINKS = 8
HERO_BANNER = 400
PRINTABLE = 900
PAGE_LANGUAGE = 300
SOCIAL_METADATA = 400
# build-finished
GONE_PAGES = 400
REDIRECTS = 850
LEAK_AUDIT = 950
