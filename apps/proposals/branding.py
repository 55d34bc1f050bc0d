"""Pure helpers about branding: colours and the product's default terms."""

from __future__ import annotations

import re

from .models import DEFAULT_PRIMARY_COLOR

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

DEFAULT_TERMS = """\
1. Scope. The services, prices and onboarding described in this proposal are provided under \
the provider's master services agreement, which takes precedence where the two differ.
2. Term. The agreement runs for the contract term stated in this proposal and renews for \
successive 12-month periods unless either party gives 60 days' written notice.
3. Fees. The monthly fee is invoiced in advance on the first day of each month and is payable \
within 30 days. The annual escalator stated in this proposal applies on each anniversary.
4. Changes. The monthly fee follows the number of users, devices, servers and sites under \
management; changes are reflected on the next invoice.
5. Estimates. Savings, risk figures and payback are estimates from the assumptions listed in \
the appendix. They are not guaranteed outcomes.
6. Validity. This proposal is valid until the date shown on its cover.
"""


def color_is_valid(value: str) -> bool:
    return bool(COLOR_RE.match(value or ""))


def color_or_default(value: str) -> str:
    return value.lower() if color_is_valid(value) else DEFAULT_PRIMARY_COLOR


def ink_for(color: str) -> str:
    """Black or white text on `color`, whichever reads better (WCAG relative luminance)."""
    color = color_or_default(color)
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111827" if luminance > 0.4 else "#ffffff"
