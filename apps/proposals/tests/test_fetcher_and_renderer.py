"""The restricted fetcher and the pure renderer: nothing outside the allow-list is ever read."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from weasyprint.urls import URLFetcher

from apps.proposals.fetcher import (
    INTERNAL_ORIGIN,
    FetchRefused,
    RestrictedURLFetcher,
    directory_resolver,
)
from apps.proposals.rendering import html_to_pdf

STATIC = Path(__file__).resolve().parents[3] / "static"
LOGO = "org/7/branding/abc.svg"
LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)

SMUGGLED = [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://example.com/x.png",
    "ftp://example.com/x",
    f"{INTERNAL_ORIGIN}/static/../../../../etc/passwd",
    f"{INTERNAL_ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
    f"{INTERNAL_ORIGIN}/media/org/8/branding/abc.svg",
    f"{INTERNAL_ORIGIN}/media/org/7/branding/other.png",
    f"{INTERNAL_ORIGIN}/etc/passwd",
    "http://breakeven.invalid@169.254.169.254/",
]


def _fetcher(**kwargs) -> RestrictedURLFetcher:
    media = {LOGO: LOGO_SVG}
    return RestrictedURLFetcher(
        static_resolver=directory_resolver(STATIC),
        media_reader=lambda name: media[name],
        allowed_media={LOGO},
        **kwargs,
    )


@pytest.fixture
def parent_fetch_tripwire(monkeypatch):
    """Record any call that reaches WeasyPrint's own URLFetcher.fetch (urllib)."""
    calls: list[str] = []
    original = URLFetcher.fetch

    def tripwire(self, url, headers=None):
        calls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", tripwire)
    return calls


def test_fetcher_is_a_weasyprint_url_fetcher():
    assert isinstance(_fetcher(), URLFetcher)


@pytest.mark.parametrize("url", SMUGGLED)
def test_fetcher_refuses_everything_off_the_allow_list(url):
    fetcher = _fetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_fetcher_serves_static_css_data_urls_and_the_listed_logo():
    fetcher = _fetcher()
    css = fetcher.fetch(f"{INTERNAL_ORIGIN}/static/css/app.css")
    assert css.content_type == "text/css" and b"--primary" in css.read()
    logo = fetcher.fetch(f"{INTERNAL_ORIGIN}/media/{LOGO}")
    assert logo.read() == LOGO_SVG and logo.content_type == "image/svg+xml"
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
    assert fetcher.refused == []


def test_fetcher_refuses_static_files_of_other_types(tmp_path):
    (tmp_path / "secret.py").write_text("SECRET = 1")
    fetcher = RestrictedURLFetcher(static_resolver=directory_resolver(tmp_path))
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"{INTERNAL_ORIGIN}/static/secret.py")


def test_fetcher_does_not_follow_symlinks_out_of_static(tmp_path):
    (tmp_path / "evil.css").symlink_to("/etc/passwd")
    fetcher = RestrictedURLFetcher(static_resolver=directory_resolver(tmp_path))
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"{INTERNAL_ORIGIN}/static/evil.css")


HOSTILE_HTML = """<!doctype html><html><head>
<link rel="stylesheet" href="/static/css/app.css">
<link rel="stylesheet" href="http://169.254.169.254/latest/style.css">
<link rel="attachment" href="file:///etc/passwd">
<style>@import url("file:///etc/hostname");
 @font-face { font-family: x; src: url(http://169.254.169.254/font.woff); }
 .bg { background: url(file:///etc/shadow); }</style>
</head><body>
<h1 class="bg">Hostile</h1>
<img src="file:///etc/passwd" alt="p">
<img src="http://169.254.169.254/latest/meta-data/iam" alt="m">
<a rel="attachment" href="file:///etc/hosts" download="hosts">attachment</a>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="40" height="40">
  <image href="file:///etc/passwd" width="10" height="10"/>
  <image xlink:href="http://169.254.169.254/svg.png" width="10" height="10"/>
  <use href="http://169.254.169.254/sprite.svg#a"/>
  <rect width="20" height="20" fill="#123456"/>
</svg>
<img src="/media/org/7/branding/abc.svg" alt="logo">
<p>Text that must be there.</p>
</body></html>"""


def test_renderer_never_fetches_smuggled_urls(parent_fetch_tripwire):
    fetcher = _fetcher()
    pdf = html_to_pdf(HOSTILE_HTML, fetcher=fetcher)
    refused = set(fetcher.refused)
    for url in (
        "file:///etc/passwd",
        "file:///etc/hosts",
        "file:///etc/hostname",
        "file:///etc/shadow",
        "http://169.254.169.254/latest/style.css",
        "http://169.254.169.254/latest/meta-data/iam",
        "http://169.254.169.254/svg.png",
        "http://169.254.169.254/font.woff",
    ):
        assert url in refused, f"{url} was not even asked for: the test proves nothing"
    assert set(fetcher.served) == {
        f"{INTERNAL_ORIGIN}/static/css/app.css",
        f"{INTERNAL_ORIGIN}/media/{LOGO}",
    }
    assert parent_fetch_tripwire == []
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert "Text that must be there." in reader.pages[0].extract_text()
    assert reader.attachments == {}  # no <link rel=attachment> made it in
    assert b"root:" not in pdf.content


def test_renderer_passes_the_fetcher_to_attachments_too(parent_fetch_tripwire):
    """`<link rel=attachment>` in the head is fetched at write time, through our fetcher."""
    fetcher = _fetcher()
    html = (
        '<html><head><link rel="attachment" href="file:///etc/passwd"></head><body>x</body></html>'
    )
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.refused
    assert pypdf.PdfReader(io.BytesIO(pdf.content)).attachments == {}
    assert parent_fetch_tripwire == []


def test_renderer_is_deterministic_for_the_same_html():
    html = "<html><body><h1>Same</h1></body></html>"
    first = html_to_pdf(html, fetcher=_fetcher(), identifier="k1")
    second = html_to_pdf(html, fetcher=_fetcher(), identifier="k1")
    assert first.sha256 == second.sha256
    assert first.pages == 1
