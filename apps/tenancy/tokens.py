"""Bearer tokens that name their tenant: ``<organization id>.<secret>``.

The secret has 256 bits and only its SHA-256 is stored. The organisation id in front is not
trusted: it only says which tenant context to open, and inside it row-level security lets the
lookup see that tenant's rows alone. So a lookup never has to search every tenant, and every
index on a tenant table can lead with `organization_id`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"^(?P<org>[1-9][0-9]{0,18})\.(?P<secret>[A-Za-z0-9_-]{43,86})$")


@dataclass(frozen=True)
class ParsedToken:
    organization_id: int
    secret_hash: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_new(organization_id: int) -> tuple[str, str]:
    """A fresh token for the tenant, and the hash to store."""
    secret = secrets.token_urlsafe(32)  # 32 bytes = 256 bits
    return f"{organization_id}.{secret}", hash_secret(secret)


def token_parse(token: str) -> ParsedToken | None:
    """Split a presented token; None when it is malformed."""
    match = _TOKEN_RE.match(token or "")
    if match is None:
        return None
    return ParsedToken(int(match["org"]), hash_secret(match["secret"]))


def hashes_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
