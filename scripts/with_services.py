"""Run a command with DATABASE_URL / REDIS_URL set: the given ones, else embedded services.

Before the command: `manage.py check` and `makemigrations --check` (the test command runs
them, so a missing migration fails CI). Embedded services started here are stopped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> int:
    env = dict(os.environ)
    started = False
    if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        import embedded

        # Stop afterwards only what this run started (a `make run` may be using them).
        started = not (embedded.postgres_running() or embedded.redis_running())
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = embedded.start_postgres()
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = embedded.start_redis()
        print(f"Using embedded services: {env['DATABASE_URL']} {env['REDIS_URL']}", flush=True)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    python = sys.executable
    try:
        for pre in (
            [python, "manage.py", "check", "--fail-level", "WARNING"],
            [python, "manage.py", "makemigrations", "--check", "--dry-run"],
        ):
            result = subprocess.run(pre, cwd=ROOT, env=env)
            if result.returncode != 0:
                return result.returncode
        return subprocess.run(sys.argv[1:], cwd=ROOT, env=env).returncode
    finally:
        if started and not os.environ.get("KEEP_EMBEDDED"):
            import embedded

            embedded.stop()


if __name__ == "__main__":
    sys.exit(main())
