"""Start-up checks of the Celery worker that renders PDFs.

Without libharfbuzz-subset WeasyPrint silently falls back to subsetting fonts in pure Python
(fontTools), which makes every render markedly slower. The worker says so loudly at start, and
with production settings (PDF_REQUIRE_HARFBUZZ_SUBSET) refuses to start at all.
"""

from __future__ import annotations

import ctypes.util
import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger("apps.proposals.worker")

MISSING_MESSAGE = (
    "libharfbuzz-subset is missing: WeasyPrint will subset fonts in pure Python and PDF "
    "renders will be much slower. Install the system package libharfbuzz-subset0 "
    "(Debian/Ubuntu: apt-get install libharfbuzz-subset0)."
)


class HarfBuzzSubsetMissing(RuntimeError):
    """Production settings require libharfbuzz-subset for PDF rendering."""


def harfbuzz_subset_check(
    *,
    require: bool | None = None,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> bool:
    """True when the library is found; warns, or raises when it is required."""
    if find_library("harfbuzz-subset"):
        return True
    if require is None:
        require = bool(getattr(settings, "PDF_REQUIRE_HARFBUZZ_SUBSET", False))
    banner = "!" * 78
    logger.warning("\n%s\n%s\n%s", banner, MISSING_MESSAGE, banner)
    if require:
        raise HarfBuzzSubsetMissing(MISSING_MESSAGE + " Refusing to start (production settings).")
    return False


def worker_start_check(
    *, find_library: Callable[[str], str | None] = ctypes.util.find_library
) -> None:
    """Run at worker start; a required library missing stops the worker (exit status 1).

    Celery logs and swallows ordinary exceptions raised by signal handlers, so the refusal is
    a SystemExit, which it lets through.
    """
    try:
        harfbuzz_subset_check(find_library=find_library)
    except HarfBuzzSubsetMissing as exc:
        logger.critical("%s", exc)
        raise SystemExit(1) from exc


def on_worker_init(**kwargs: object) -> None:
    worker_start_check()


def on_worker_process_init(**kwargs: object) -> None:
    # Importing WeasyPrint costs about a second; pay it once per pool process, not per render.
    import weasyprint  # noqa: F401
