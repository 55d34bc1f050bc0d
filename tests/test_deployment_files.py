"""docker-compose.yml, .env.example and the README agree with what the settings read."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DIR = ROOT / "config" / "settings"


def settings_env_vars() -> set[str]:
    names: set[str] = set()
    for path in SETTINGS_DIR.glob("*.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    return names


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_of_the_design():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_compose_commands_match_the_code():
    services = compose()["services"]
    web = " ".join(services["web"]["command"])
    assert "gunicorn" in web and "config.wsgi:application" in web
    worker = services["worker"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    queues = set(worker[worker.index("-Q") + 1].split(","))
    assert {"default", "pdf"} == queues
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --database owner" in migrate


def test_compose_environment_is_read_by_the_settings():
    services = compose()["services"]
    known = settings_env_vars() | {"DJANGO_SETTINGS_MODULE"}
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert set(environment) <= known, set(environment) - known
        module = environment["DJANGO_SETTINGS_MODULE"]
        assert importlib.util.find_spec(module) is not None
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["APP_DB_USER"] == "breakeven_app"
    # The production settings refuse to start without these.
    production = (SETTINGS_DIR / "production.py").read_text()
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert f'env("{required}")' in production or f'env.list("{required}")' in production
        assert required in services["web"]["environment"]


def test_compose_queue_names_match_the_settings_defaults():
    base = (SETTINGS_DIR / "base.py").read_text()
    assert 'env("CELERY_DEFAULT_QUEUE", default="default")' in base
    assert 'env("CELERY_PDF_QUEUE", default="pdf")' in base
    assert settings.CELERY_TASK_ROUTES["proposals.*"]["queue"] == settings.CELERY_PDF_QUEUE


def test_env_example_and_readme_list_every_setting():
    env_example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    missing_example = [n for n in sorted(settings_env_vars()) if n not in env_example]
    missing_readme = [n for n in sorted(settings_env_vars()) if f"`{n}`" not in readme]
    assert missing_example == []
    assert missing_readme == []


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme
    assert "libharfbuzz-subset0" in ci and "chromium" in ci


def test_cache_never_shares_the_brokers_redis_database():
    from urllib.parse import urlsplit

    cache = urlsplit(settings.CACHES["default"]["LOCATION"])
    broker = urlsplit(settings.CELERY_BROKER_URL)
    assert (cache.netloc, cache.path) != (broker.netloc, broker.path)
