"""Domain errors raised by services and turned into 400/403/404 answers at the edges."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule refused the operation; `extra` carries field messages when known."""

    def __init__(self, message: str, *, extra: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The signed-in member's role does not allow the operation."""
