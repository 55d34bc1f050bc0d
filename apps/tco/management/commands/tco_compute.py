"""`python manage.py tco_compute INPUT.json`: print the engine's output document.

`-` reads the document from standard input. A golden case file ({"inputs": ..., "expected":
...}) is accepted too: its "inputs" are computed. An invalid document prints every field error
(one per line, `path: message`) on standard error and exits with status 2; unreadable JSON
exits with status 2 as well. No database is touched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.tco import engine

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "Compute the TCO output document of an engine input document (JSON)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="input document (JSON file), or - for standard input")
        parser.add_argument(
            "--trials",
            type=int,
            default=None,
            help="override simulation.trials (0 skips the simulation)",
        )
        parser.add_argument("--indent", type=int, default=1, help="JSON indent (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        doc = self._read(options["input"])
        if isinstance(doc, dict) and "inputs" in doc and "environment" not in doc:
            doc = doc["inputs"]  # a golden case file
        try:
            result = engine.compute(doc, trials=options["trials"])
        except engine.EngineInputError as exc:
            self.stderr.write("The input document is not valid:")
            for path, messages in sorted(exc.errors.items()):
                for message in messages:
                    self.stderr.write(f"  {path or '(document)'}: {message}")
            raise CommandError("invalid input document", returncode=EXIT_INVALID) from None
        indent = options["indent"] if options["indent"] > 0 else None
        self.stdout.write(json.dumps(result, indent=indent, ensure_ascii=False))

    def _read(self, source: str) -> Any:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"cannot read {source}: {exc.strerror}", returncode=EXIT_INVALID
            ) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                returncode=EXIT_INVALID,
            ) from None
