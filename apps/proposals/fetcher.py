"""A deny-by-default URL fetcher for WeasyPrint: the app's static files and one stored logo.

WeasyPrint's default fetcher opens anything urllib can: ``file://`` anywhere on the disk, any
host on the network (cloud metadata at 169.254.169.254 included), follows redirects, and does
so for images, stylesheets, fonts, SVG ``<image>``/``<use>`` and ``<link rel="attachment">``
alike. Every one of those goes through the ``url_fetcher`` given to ``HTML(...)``, so this
subclass is the single gate: it answers from an allow-list of local files and refuses every
other URL *before* urllib sees it. It never calls ``URLFetcher.fetch`` of its parent, so no
network or filesystem handler of urllib ever runs.

The document is rendered with ``base_url = INTERNAL_ORIGIN``; ``/static/...`` and
``/media/org/<id>/branding/...`` resolve under it. Nothing in here imports Django.
"""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

# A name that can never resolve (RFC 6761 `.invalid`): if a URL built on it ever leaked out
# of this fetcher, it would still go nowhere.
INTERNAL_ORIGIN = "https://breakeven.invalid"

STATIC_PREFIX = "/static/"
MEDIA_PREFIX = "/media/"
# Static assets a proposal may use. No fonts (system fonts only) and nothing executable.
STATIC_SUFFIXES = {".css", ".svg", ".png", ".jpg", ".jpeg"}
MAX_BYTES = 5 * 1024 * 1024


class FetchRefused(ValueError):
    """The URL is not on the allow-list. WeasyPrint logs it and leaves the resource out."""


@dataclass
class FetchRecord:
    url: str
    allowed: bool
    reason: str = ""


class RestrictedURLFetcher(URLFetcher):
    """Serve `/static/<path>` from `static_resolver` and the listed media files; refuse the rest.

    `static_resolver(relative_path) -> Path | None` finds a static file (Django's finders in
    the app); `allowed_media` names the exact stored files this document may embed, e.g.
    ``{"org/7/branding/<sha256>.png"}``, and `media_reader(name) -> bytes` reads one from
    storage (the filesystem today, S3 through django-storages tomorrow).
    Every request is recorded in `log`, so tests assert on what was asked and refused.
    """

    def __init__(
        self,
        *,
        static_resolver: Callable[[str], Path | None],
        media_reader: Callable[[str], bytes] | None = None,
        allowed_media: Iterable[str] = (),
    ) -> None:
        # No urllib handler is ever used (fetch is overridden), but the parent sets attributes
        # that weasyprint.urls.fetch reads (`_fail_on_errors`). Redirects off and protocols
        # narrowed, so even a future code path reaching the parent could not go far.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self.static_resolver = static_resolver
        self.media_reader = media_reader
        self.allowed_media = frozenset(allowed_media)
        self.log: list[FetchRecord] = []
        self._lock = threading.Lock()

    # --- the gate ---------------------------------------------------------------------------

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            response = self._resolve(url)
        except FetchRefused as exc:
            self._record(url, False, str(exc))
            raise
        self._record(url, True)
        return response

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)

    def open(self, url, data=None, timeout=None):  # type: ignore[override]
        # urllib's OpenerDirector entry point: route it through the same gate.
        target = url if isinstance(url, str) else getattr(url, "full_url", "")
        return self.fetch(target)

    @property
    def refused(self) -> list[str]:
        return [r.url for r in self.log if not r.allowed]

    @property
    def served(self) -> list[str]:
        return [r.url for r in self.log if r.allowed]

    # --- helpers ----------------------------------------------------------------------------

    def _record(self, url: str, allowed: bool, reason: str = "") -> None:
        with self._lock:
            self.log.append(FetchRecord(url=url[:500], allowed=allowed, reason=reason))

    def _resolve(self, url: str) -> URLFetcherResponse:
        if url.startswith("data:"):
            return self._data(url)
        if not url.startswith(INTERNAL_ORIGIN + "/"):
            raise FetchRefused("only the app's own static files and stored logo may be embedded")
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.query or "\\" in path or "\x00" in path:
            raise FetchRefused("query strings and odd characters are not allowed")
        if path.startswith(STATIC_PREFIX):
            return self._static(url, path.removeprefix(STATIC_PREFIX))
        if path.startswith(MEDIA_PREFIX):
            return self._media(url, path.removeprefix(MEDIA_PREFIX))
        raise FetchRefused("unknown internal path")

    def _data(self, url: str) -> URLFetcherResponse:
        # data: URLs carry their own bytes; urllib's DataHandler decodes them without I/O.
        from urllib.request import DataHandler, Request

        # Only reached for URLs that start with `data:` (checked by the caller).
        with DataHandler().data_open(Request(url)) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            content_type = response.headers.get("Content-Type", "application/octet-stream")
        if len(body) > MAX_BYTES:
            raise FetchRefused("data URL too large")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _static(self, url: str, relative: str) -> URLFetcherResponse:
        if not _safe_relative(relative):
            raise FetchRefused("path escapes the static directory")
        if Path(relative).suffix.lower() not in STATIC_SUFFIXES:
            raise FetchRefused("static file type not allowed")
        found = self.static_resolver(relative)
        if found is None:
            raise FetchRefused("no such static file")
        return self._file(url, Path(found))

    def _media(self, url: str, relative: str) -> URLFetcherResponse:
        if self.media_reader is None or relative not in self.allowed_media:
            raise FetchRefused("media file not allowed for this document")
        if not _safe_relative(relative):
            raise FetchRefused("path escapes the media directory")
        try:
            body = self.media_reader(relative)
        except OSError as exc:
            raise FetchRefused("stored file missing") from exc
        if len(body) > MAX_BYTES:
            raise FetchRefused("file too large")
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(relative)})

    def _file(self, url: str, path: Path) -> URLFetcherResponse:
        if not path.is_file() or path.is_symlink():
            raise FetchRefused("not a regular file")
        with open(path, "rb") as handle:
            body = handle.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise FetchRefused("file too large")
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(path.name)})


def _content_type(name: str) -> str:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return "text/css; charset=utf-8" if content_type == "text/css" else content_type


def _safe_relative(relative: str) -> bool:
    if not relative or relative.startswith("/") or os.path.isabs(relative):
        return False
    return all(part not in ("", ".", "..") for part in relative.split("/"))


def directory_resolver(*roots: Path) -> Callable[[str], Path | None]:
    """A static resolver over plain directories: the first root holding the file wins."""
    resolved = [Path(r).resolve() for r in roots]

    def resolve(relative: str) -> Path | None:
        for root in resolved:
            candidate = (root / relative).resolve()
            if root in candidate.parents and candidate.is_file():
                return candidate
        return None

    return resolve
