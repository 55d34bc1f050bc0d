from __future__ import annotations

from .models import ApiToken


def api_token_resolve(*, secret_hash: str) -> ApiToken | None:
    """The token with this hash in the active tenant (the caller opened the context)."""
    return ApiToken.objects.select_related("user").filter(token_hash=secret_hash).first()
