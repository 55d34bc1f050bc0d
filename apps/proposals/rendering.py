"""The pure PDF renderer: a finished HTML string in, PDF bytes out (WeasyPrint).

No Django, no database, no storage: the service builds the HTML from the templates and stores
the bytes. Every WeasyPrint entry point that can load a resource (`HTML`, `CSS`, `render`,
`write_pdf` with its attachments) receives the restricted fetcher; presentational hints stay
off, so attributes such as `<font>` or `bgcolor` in user text could not style the page even if
they slipped past escaping.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .fetcher import INTERNAL_ORIGIN, RestrictedURLFetcher

BASE_URL = INTERNAL_ORIGIN + "/"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def html_to_pdf(
    html: str,
    *,
    fetcher: RestrictedURLFetcher,
    identifier: str = "",
    stylesheets: list[str] | None = None,
) -> RenderedPdf:
    """Lay out `html` and write the PDF; `identifier` makes the file ID (and bytes) stable."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    extra = [CSS(string=css, base_url=BASE_URL, url_fetcher=fetcher) for css in stylesheets or []]
    rendered = document.render(stylesheets=extra, presentational_hints=False)
    content = rendered.write_pdf(
        # Attachments would be fetched through the document's fetcher too; none are wanted.
        attachments=[],
        pdf_identifier=(identifier or "breakeven").encode()[:32],
        presentational_hints=False,
    )
    return RenderedPdf(content=content, pages=len(rendered.pages))
