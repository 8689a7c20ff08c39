"""PDF documents from the app's own templates, with WeasyPrint.

A PDF is rendered from HTML that carries everything it shows (styles inline, charts as inline
SVG): the fetcher refuses every URL, so a document can never make the server read a file or
call the network, whatever text a user typed into a site or project name.
"""

from __future__ import annotations

import logging

from weasyprint import HTML
from weasyprint.urls import URLFetcher

BASE_URL = "about:rollout/"  # nothing is fetched relative to it either


class RefuseEverything(URLFetcher):
    """A URL fetcher that fetches nothing: not the network, not the file system."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())

    def fetch(self, url: str, headers: dict | None = None) -> None:
        """Refuse: WeasyPrint then draws the document without the resource."""
        raise ValueError(f"Rollout's PDFs fetch nothing (asked for {url[:80]!r})")


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document (styles and SVG inline)."""
    # WeasyPrint logs each refused fetch and unsupported CSS property as a warning; they are
    # expected here and would otherwise fill the server's log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=RefuseEverything()).write_pdf()
