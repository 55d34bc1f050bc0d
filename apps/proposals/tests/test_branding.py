"""Branding: admins only, logos validated by content, SVG sanitised, stored by hash."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.proposals.logos import LogoRejected, logo_clean
from apps.proposals.models import Branding
from apps.proposals.selectors import branding_get
from apps.proposals.storage import read_bytes
from apps.proposals.svg import SvgRejected, svg_sanitize

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 viewBox="0 0 10 10" onload="alert(1)">
<script>alert(1)</script>
<style>@import url(http://169.254.169.254/);</style>
<image href="file:///etc/passwd" width="5" height="5"/>
<use xlink:href="http://169.254.169.254/x.svg#a"/>
<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="file:///etc/passwd"/></foreignObject>
<a href="javascript:alert(1)"><rect width="1" height="1"/></a>
<rect width="5" height="5" fill="url(http://169.254.169.254/p)" style="fill:url(file:///etc/passwd);stroke:red"/>
<circle r="3" fill="#0a0"/>
</svg>"""


def _png(size=(40, 20), color=(200, 30, 30), extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue() + extra


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 0, 200)).save(out, format="JPEG")
    return out.getvalue()


def test_svg_sanitizer_strips_scripts_handlers_and_external_references():
    clean = svg_sanitize(HOSTILE_SVG)
    for needle in (
        "script",
        "onload",
        "169.254",
        "file:",
        "javascript",
        "foreignObject",
        "<image",
        "@import",
    ):
        assert needle not in clean, needle
    assert "<circle" in clean and "stroke:red" in clean


@pytest.mark.parametrize(
    "svg",
    [
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        b"<html><body>not svg</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect>',
    ],
)
def test_svg_sanitizer_rejects_entities_and_non_svg(svg):
    with pytest.raises(SvgRejected):
        svg_sanitize(svg)


def test_png_and_jpeg_are_reencoded_without_trailing_payload():
    clean = logo_clean(_png(extra=b"<script>alert(1)</script>"))
    assert clean.content_type == "image/png" and b"<script>" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).size == (40, 20)
    assert logo_clean(_jpeg()).content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 40, "PNG, JPEG or SVG"),
        (b"just text, named logo.png", "PNG, JPEG or SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "PNG, JPEG or SVG"),
        (b"x" * (600 * 1024), "at most 512 KB"),
    ],
)
def test_bad_logos_are_refused(data, message):
    with pytest.raises(LogoRejected, match=message):
        logo_clean(data)


def test_gif_is_refused_even_when_valid():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="GIF")
    with pytest.raises(LogoRejected, match="PNG, JPEG or SVG"):
        logo_clean(out.getvalue())


def _post(client, **extra):
    data = {"primary_color": "#aa3300", "company_name": "Northwind IT", **extra}
    return client.post("/proposals/branding/", data)


def test_salesperson_cannot_open_branding(world):
    assert world.salesperson_client().get("/proposals/branding/").status_code == 403
    assert _post(world.salesperson_client()).status_code == 403


def test_admin_saves_branding_with_an_svg_logo_that_is_sanitised(world):
    client = world.admin_client()
    assert client.get("/proposals/branding/").status_code == 200
    logo = SimpleUploadedFile("logo.svg", HOSTILE_SVG, content_type="image/svg+xml")
    response = _post(client, logo=logo, legal_footer="Northwind IT Ltd, company 123")
    assert response.status_code == 302
    with world.context():
        branding = branding_get()
        assert branding.pk is not None
        assert branding.primary_color == "#aa3300"
        assert branding.logo_path.startswith(f"org/{world.id}/branding/")
        assert branding.logo_path.endswith(f"{branding.logo_sha256}.svg")
        stored = read_bytes(branding.logo_path).decode()
    assert "<script" not in stored and "169.254" not in stored and "<circle" in stored
    served = client.get("/proposals/branding/logo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_the_same_logo_twice_is_stored_once_and_a_new_logo_keeps_the_old_file(world):
    client = world.admin_client()
    _post(client, logo=SimpleUploadedFile("a.png", _png()))
    with world.context():
        first = branding_get().logo_path
    _post(client, logo=SimpleUploadedFile("b.png", _png()))
    with world.context():
        assert branding_get().logo_path == first
    _post(client, logo=SimpleUploadedFile("c.png", _png(color=(1, 2, 3))))
    with world.context():
        second = branding_get().logo_path
    assert second != first
    assert read_bytes(first)  # proposals made earlier still find their logo


def test_invalid_logo_and_colour_show_field_errors(world):
    client = world.admin_client()
    response = _post(client, logo=SimpleUploadedFile("x.png", b"not an image"))
    assert response.status_code == 200
    assert "not a valid PNG, JPEG or SVG" in response.content.decode()
    response = _post(client, primary_color="red; background:url(x)")
    assert response.status_code == 200
    assert "Use a colour like" in response.content.decode()
    with world.context():
        assert not Branding.objects.exists()


def test_remove_logo(world):
    client = world.admin_client()
    _post(client, logo=SimpleUploadedFile("a.png", _png()))
    _post(client, remove_logo="on")
    with world.context():
        assert branding_get().logo_path == ""
    assert client.get("/proposals/branding/logo/").status_code == 404
