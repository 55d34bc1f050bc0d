"""Logo validation: PNG and JPEG are decoded and re-encoded, SVG is sanitised.

Re-encoding a raster logo with Pillow keeps only pixels: no metadata, no trailing payload
(polyglot files), and a bounded size for the PDF. The file type is decided by the content,
never by the uploaded name or the browser's content type.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .svg import SvgRejected, svg_sanitize

MAX_UPLOAD_BYTES = 512 * 1024
MAX_SOURCE_PIXELS = 25_000_000  # refuse decompression bombs before decoding
MAX_EDGE = 1200  # stored logos are scaled down to this (plenty for a cover page at 300 dpi)


class LogoRejected(ValueError):
    """The upload is not an acceptable logo; the message is shown to the admin."""


@dataclass(frozen=True)
class CleanLogo:
    content: bytes
    content_type: str
    extension: str


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def logo_clean(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> CleanLogo:
    """Validate `data` as a PNG, JPEG or SVG logo and return the bytes to store."""
    if not data:
        raise LogoRejected("The file is empty.")
    if len(data) > max_bytes:
        raise LogoRejected(f"The logo must be at most {max_bytes // 1024} KB.")
    if _looks_like_svg(data):
        try:
            clean = svg_sanitize(data)
        except UnicodeDecodeError as exc:
            raise LogoRejected("The SVG must be UTF-8 text.") from exc
        except SvgRejected as exc:
            raise LogoRejected(str(exc)) from exc
        return CleanLogo(clean.encode(), "image/svg+xml", "svg")
    return _clean_raster(data)


def _clean_raster(data: bytes) -> CleanLogo:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ("PNG", "JPEG"):
                raise LogoRejected("Upload a PNG, JPEG or SVG file.")
            if width * height > MAX_SOURCE_PIXELS or not width or not height:
                raise LogoRejected("The image is too large; use at most 5000 × 5000 pixels.")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            out = io.BytesIO()
            if kind == "PNG":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
                return CleanLogo(out.getvalue(), "image/png", "png")
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(out, format="JPEG", quality=90)
            return CleanLogo(out.getvalue(), "image/jpeg", "jpg")
    except LogoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LogoRejected("The file is not a valid PNG, JPEG or SVG image.") from exc
    except Image.DecompressionBombError as exc:
        raise LogoRejected("The image is too large.") from exc
