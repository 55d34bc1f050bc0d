"""An allow-list SVG sanitiser, for uploaded logos and as a last guard on chart SVG.

What it removes, and why:
* DOCTYPE and entity declarations are refused outright (billion laughs, external entities);
* elements outside a small drawing vocabulary (`script`, `foreignObject`, `image`, `a`,
  `style`, animations, anything not in the SVG namespace) are dropped with their content;
* attributes outside the geometry/presentation vocabulary are dropped, among them every `on*`
  handler; `href`/`xlink:href` survive only as local references (`#id`), and `url(...)` in a
  paint or style value only as `url(#id)`. So a sanitised SVG can reference nothing outside
  itself: not `file:///etc/passwd`, not `http://169.254.169.254/`, not `javascript:`.
Nothing in here imports Django.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

MAX_ELEMENTS = 10_000
MAX_DEPTH = 40

ALLOWED_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    # structure and geometry
    "id", "class", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "transform", "pathLength",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "version", "role", "aria-label",
    "aria-hidden", "aria-labelledby", "aria-describedby", "focusable", "data-kind",
    "data-series",
    # gradients, clips, markers, patterns
    "offset", "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy", "fr",
    "clipPathUnits", "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits",
    "patternTransform", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "href", f"{{{XLINK_NS}}}href",
    # presentation
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
    "stroke-miterlimit", "opacity", "color", "clip-path", "clip-rule", "mask", "display",
    "visibility", "stop-color", "stop-opacity", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "text-decoration", "vector-effect", "shape-rendering",
    "marker-start", "marker-mid", "marker-end", "style", "xml:space",
    "{http://www.w3.org/XML/1998/namespace}space",
}  # fmt: skip

STYLE_PROPERTIES = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
    "stroke-miterlimit", "opacity", "color", "display", "visibility", "stop-color",
    "stop-opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "clip-rule", "vector-effect", "mix-blend-mode",
    "isolation", "paint-order", "shape-rendering",
}  # fmt: skip

_URL_RE = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL_RE = re.compile(r"url\(\s*['\"]?#[A-Za-z_][\w.:-]*['\"]?\s*\)")
_DANGEROUS_RE = re.compile(r"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)


class SvgRejected(ValueError):
    """The SVG cannot be made safe (malformed, entities, not an SVG document)."""


def _local_name(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _value_is_safe(value: str) -> bool:
    if "\\" in value or "@import" in value.lower() or "expression(" in value.lower():
        return False
    # Every url( must be a local reference url(#id).
    return len(_URL_RE.findall(value)) == len(_LOCAL_URL_RE.findall(value))


def _clean_style(value: str) -> str:
    kept = []
    for declaration in value.split(";"):
        name, sep, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip()
        if sep and name in STYLE_PROPERTIES and val and _value_is_safe(val):
            kept.append(f"{name}:{val}")
    return ";".join(kept)


def _clean_element(element: ET.Element, depth: int, counter: list[int]) -> None:
    counter[0] += 1
    if counter[0] > MAX_ELEMENTS or depth > MAX_DEPTH:
        raise SvgRejected("The SVG is too complex.")
    for name in list(element.attrib):
        value = element.attrib[name]
        ns, local = _local_name(name)
        keep = name in ALLOWED_ATTRIBUTES and not local.lower().startswith("on")
        if keep and local == "href":
            keep = value.strip().startswith("#")
        if keep and name == "style":
            value = _clean_style(value)
            keep = bool(value)
            if keep:
                element.attrib[name] = value
        elif keep:
            keep = _value_is_safe(value)
        if not keep:
            del element.attrib[name]
    for child in list(element):
        if not isinstance(child.tag, str):  # comments, processing instructions
            element.remove(child)
            continue
        ns, local = _local_name(child.tag)
        if ns != SVG_NS or local not in ALLOWED_ELEMENTS:
            element.remove(child)
            continue
        _clean_element(child, depth + 1, counter)


def _refuse(*args: object) -> None:
    raise SvgRejected("SVG files with DOCTYPE or entity declarations are refused.")


def _qualified(name: str) -> str:
    # expat reports namespaced names as "uri}local"; ElementTree spells them "{uri}local".
    return "{" + name if "}" in name else name


def _parse(text: str) -> ET.Element:
    """Parse with expat directly, so DOCTYPE and entity declarations stop the parse."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _qualified(name), {_qualified(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    parser.Parse(text, True)
    return builder.close()


def svg_sanitize(data: bytes | str) -> str:
    """Return a safe serialisation of the SVG document `data`, or raise `SvgRejected`."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if _DANGEROUS_RE.search(text):
        raise SvgRejected("SVG files with DOCTYPE, entity or stylesheet declarations are refused.")
    try:
        root = _parse(text)
    except expat.ExpatError as exc:
        raise SvgRejected(f"The SVG is not well-formed XML ({exc}).") from exc
    ns, local = _local_name(root.tag)
    if ns != SVG_NS or local != "svg":
        raise SvgRejected("The file is not an SVG document (no <svg> root element).")
    _clean_element(root, 0, [0])
    return _serialize(root)


_XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATTR_PREFIX = {XLINK_NS: "xlink:", _XML_NS: "xml:"}


def _serialize(root: ET.Element) -> str:
    """Write the cleaned tree with plain SVG names.

    ElementTree's own writer takes prefixes from a process-global registry that other
    libraries change, so the output is written here: every element is in the SVG namespace
    (anything else was removed) and attributes are plain, `xlink:` or `xml:`.
    """
    out: list[str] = []

    def attributes(element: ET.Element) -> str:
        parts = []
        for name, value in element.attrib.items():
            ns, local = _local_name(name)
            parts.append(f" {_ATTR_PREFIX.get(ns, '')}{local}={quoteattr(value)}")
        return "".join(parts)

    def write(element: ET.Element, is_root: bool) -> None:
        _, local = _local_name(element.tag)
        head = f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"' if is_root else ""
        out.append(f"<{local}{head}{attributes(element)}>")
        if element.text:
            out.append(escape(element.text))
        for child in element:
            write(child, False)
            if child.tail:
                out.append(escape(child.tail))
        out.append(f"</{local}>")

    write(root, True)
    return "".join(out)
