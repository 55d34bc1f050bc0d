"""From a proposal to HTML: the one template set behind the web page, the preview and the PDF.

`document_html` renders the proposal body (`proposals/_document.html`); `pdf_html` wraps the same
body in the print page with its running header and footer. `pdf_fetcher` builds the restricted
fetcher for one document: the app's static files and that snapshot's logo, nothing else.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from . import presentation
from .branding import color_or_default, ink_for
from .fetcher import RestrictedURLFetcher
from .models import Proposal, ProposalDecision
from .snapshot import recommended_option
from .storage import read_bytes
from .svg import SvgRejected, svg_sanitize

logger = logging.getLogger(__name__)

# Bump when the templates or the print stylesheet change what a PDF looks like: stored PDFs
# are keyed by it, so a new layout is rendered once instead of serving the old file.
TEMPLATE_VERSION = "1"
PDF_STYLESHEETS = ("proposals/document.css", "proposals/print.css")
LOGO_PLACEHOLDER = "__BREAKEVEN_LOGO_URL__"
DOCUMENT_CACHE_SECONDS = 3600


def decision_context(decision: ProposalDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    local = timezone.localtime(decision.decided_at)
    return {
        "outcome": decision.outcome,
        "full_name": decision.full_name,
        "title": decision.title,
        "email": decision.email,
        "reason": decision.reason,
        "decided_at": decision.decided_at.isoformat(),
        "decided_at_display": f"{local:%-d %B %Y at %H:%M %Z}",
        "snapshot_hash": decision.snapshot_hash,
    }


def document_charts(snapshot: dict[str, Any]) -> dict[str, str]:
    """The four charts of the results page for the recommended option, sanitised.

    The chart functions already escape every label; the sanitiser is a second wall that
    guarantees no script and no external reference ever reaches the page or the PDF.
    """
    from apps.tco import charts
    from apps.tco.presentation import INPUT_LABELS

    option = recommended_option(snapshot)
    if not option.get("inputs") or not option.get("result"):
        return {}
    currency = (snapshot.get("organization") or {}).get("currency", "USD")
    raw = charts.analysis_charts(
        option["inputs"], option["result"], currency=currency, labels=INPUT_LABELS
    )
    clean = {}
    for name, svg in raw.items():
        try:
            clean[name] = svg_sanitize(svg)
        except SvgRejected:
            logger.exception("Chart %s of a proposal could not be sanitised; left out", name)
    return clean


def _branding_style(snapshot: dict[str, Any]) -> dict[str, str]:
    color = color_or_default((snapshot.get("branding") or {}).get("primary_color", ""))
    return {"brand": color, "brand_ink": ink_for(color)}


def logo_path(snapshot: dict[str, Any]) -> str:
    return ((snapshot.get("branding") or {}).get("logo") or {}).get("path", "")


def _body_context(
    proposal: Proposal, *, mode: str, decision: ProposalDecision | None, logo_url: str
) -> dict[str, Any]:
    snapshot = proposal.snapshot
    decided = decision_context(decision)
    return {
        "doc": presentation.document(snapshot, decision=decided),
        "charts": document_charts(snapshot),
        "logo_url": logo_url,
        "mode": mode,
        "decision": decided,
        "content_hash": proposal.content_hash,
        **_branding_style(snapshot),
    }


class _LocalCache:
    """A small per-process LRU for renders keyed by content hash (they never go stale).

    The shared cache still holds them for the other processes; this saves the round trip and
    the unpickling of ~50 KB on every view of the share page.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.items: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


local_cache = _LocalCache()


def cached(key: str, build: Callable[[], Any], timeout: int = DOCUMENT_CACHE_SECONDS) -> Any:
    """Process memory, then the shared cache, then `build()`; for immutable values only."""
    value = local_cache.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, timeout)
        local_cache.set(key, value)
    return value


def document_html(
    proposal: Proposal, *, decision: ProposalDecision | None = None, logo_url: str = ""
) -> str:
    """The proposal body for a web page, cached by content hash (frozen content, same HTML).

    The cache key carries the organisation id (every tenant cache key does) and the decision;
    the logo URL differs per share link, so it is filled in after the cached render.
    """
    decided = decision.outcome if decision else "none"
    key = (
        f"org:{proposal.organization_id}:proposal-doc:{proposal.content_hash}:{decided}:"
        f"{TEMPLATE_VERSION}"
    )

    def build() -> str:
        placeholder = LOGO_PLACEHOLDER if logo_path(proposal.snapshot) else ""
        return render_to_string(
            "proposals/_document.html",
            _body_context(proposal, mode="web", decision=decision, logo_url=placeholder),
        )

    return cached(key, build).replace(LOGO_PLACEHOLDER, escape(logo_url))


def pdf_html(proposal: Proposal, *, decision: ProposalDecision | None = None) -> tuple[str, set]:
    """The complete HTML of the PDF and the stored files it may embed (its logo)."""
    path = logo_path(proposal.snapshot)
    context = _body_context(
        proposal, mode="pdf", decision=decision, logo_url=f"/media/{path}" if path else ""
    )
    branding = proposal.snapshot.get("branding") or {}
    context.update(
        {
            "stylesheets": [f"/static/{name}" for name in PDF_STYLESHEETS],
            "legal_footer": branding.get("legal_footer", ""),
        }
    )
    return render_to_string("proposals/pdf.html", context), ({path} if path else set())


def _static_file(relative: str) -> Path | None:
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    return Path(found) if found else None


def pdf_fetcher(allowed_media: set[str]) -> RestrictedURLFetcher:
    return RestrictedURLFetcher(
        static_resolver=_static_file, media_reader=read_bytes, allowed_media=allowed_media
    )


def render_key(proposal: Proposal, *, kind: str, decision: ProposalDecision | None) -> str:
    """What a stored PDF is of: snapshot, kind, decision and layout version."""
    marker = ""
    if kind == "final" and decision is not None:
        marker = f"{decision.outcome}:{decision.pk}:{decision.decided_at.isoformat()}"
    raw = f"{proposal.content_hash}|{kind}|{marker}|{TEMPLATE_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()
