"""Login throttling: failed attempts are counted per e-mail and per client IP in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, ip: str) -> list[str]:
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    ip_key = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return [f"login-fail:email:{email_key}", f"login-fail:ip:{ip_key}"]


def login_is_blocked(*, email: str, ip: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    counts = cache.get_many(_keys(email, ip))
    # The IP limit is looser: an office behind one address has several people signing in.
    email_key, ip_key = _keys(email, ip)
    return counts.get(email_key, 0) >= limit or counts.get(ip_key, 0) >= limit * 4


def login_failed(*, email: str, ip: str) -> None:
    for key in _keys(email, ip):
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        cache.incr(key)


def login_succeeded(*, email: str, ip: str) -> None:
    cache.delete(_keys(email, ip)[0])


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
