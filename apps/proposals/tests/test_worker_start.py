"""The PDF worker's start-up check for libharfbuzz-subset."""

from __future__ import annotations

import logging

import pytest

from apps.proposals.worker import HarfBuzzSubsetMissing, harfbuzz_subset_check, worker_start_check


def _missing(name: str) -> None:
    return None


def test_the_library_is_installed_on_this_machine():
    # .ci/run installs libharfbuzz-subset0; a machine without it renders markedly slower.
    assert harfbuzz_subset_check(require=True) is True


def test_a_missing_library_is_a_loud_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="apps.proposals.worker"):
        assert harfbuzz_subset_check(require=False, find_library=_missing) is False
    assert "libharfbuzz-subset is missing" in caplog.text
    assert "!!!!!!!!" in caplog.text


def test_production_settings_refuse_to_start_without_it(settings):
    settings.PDF_REQUIRE_HARFBUZZ_SUBSET = True
    with pytest.raises(HarfBuzzSubsetMissing):
        harfbuzz_subset_check(find_library=_missing)
    # Celery swallows ordinary exceptions from signal handlers: the worker exits instead.
    with pytest.raises(SystemExit) as exc:
        worker_start_check(find_library=_missing)
    assert exc.value.code == 1


def test_development_settings_start_anyway(settings):
    settings.PDF_REQUIRE_HARFBUZZ_SUBSET = False
    worker_start_check(find_library=_missing)


def test_production_settings_require_it():
    # Importing production.py needs its secrets in the environment; read the line instead.
    from django.conf import settings

    source = (settings.BASE_DIR / "config" / "settings" / "production.py").read_text()
    assert "\nPDF_REQUIRE_HARFBUZZ_SUBSET = True\n" in source


def test_the_worker_signals_are_connected():
    from celery.signals import worker_init, worker_process_init

    from apps.proposals import worker

    assert any(r[1]() is worker.on_worker_init for r in worker_init.receivers)
    assert any(r[1]() is worker.on_worker_process_init for r in worker_process_init.receivers)
