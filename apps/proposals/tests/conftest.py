"""Fixtures of the proposals tests: finished analyses and proposals through the real services."""

from __future__ import annotations

import pytest

from apps.tco.testing import complete_answers

# A prospect for whom Managed Services clearly pays (8 outages and $40k of break/fix invoices
# last year, 10 staff hours a week on IT): savings positive in every layer that matters.
GOOD_ANSWERS = complete_answers(
    incidents={"period_months": 12, "outages": 8},
    support={"last_12m_spend": 40000, "staff_it_hours_per_week": 10},
)


@pytest.fixture
def good_answers():
    return complete_answers(
        incidents={"period_months": 12, "outages": 8},
        support={"last_12m_spend": 40000, "staff_it_hours_per_week": 10},
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached renders live in the cache: start each test clean.

    Only this test run's keys are deleted: `cache.clear()` would FLUSHDB the Redis that other
    runs (and their Celery queues) share.
    """
    from django.conf import settings
    from django.core.cache import cache

    client = cache._cache.get_client(None, write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    from apps.proposals.documents import local_cache

    local_cache.items.clear()
    yield
