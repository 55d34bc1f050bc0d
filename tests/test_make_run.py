"""`make run`'s script on embedded services: it serves the login page, the demo logins work,
and Ctrl-C stops everything. (A fresh-clone check of both README commands is
scripts/fresh_clone_check.sh.)"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from apps.demo.services import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_SALES_EMAIL

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _login(base: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": email, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    response = opener.open(request, timeout=10)
    assert response.geturl().endswith("/dashboard/"), response.geturl()
    return response.read().decode()


@pytest.fixture
def run_process():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {"PORT": str(port), "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "false"}
    )
    log_path = ROOT / "var" / "test-make-run.log"
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    yield process, f"http://127.0.0.1:{port}", log_path
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_run_serves_login_and_demo_logins_work_then_stops_cleanly(run_process):
    process, base, log_path = run_process
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()[-3000:]
        try:
            page = urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read().decode()
            break
        except OSError:
            time.sleep(1)
    else:
        raise AssertionError("make run did not serve in time:\n" + log_path.read_text()[-3000:])
    assert "Sign in" in page
    assert "Northwind Managed IT" in _login(base, DEMO_ADMIN_EMAIL)
    assert "Northwind Managed IT" in _login(base, DEMO_SALES_EMAIL)
    output = log_path.read_text()
    assert DEMO_ADMIN_EMAIL in output and DEMO_PASSWORD in output
    assert "celery@" in output  # the worker started

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    assert process.wait(timeout=60) == 0
    assert "Stopped." in log_path.read_text()
