"""Shared DRF pieces: the exception handler maps domain errors to field-level 400s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError, PermissionDeniedError

T = TypeVar("T")


def _django_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django validation errors and `ApplicationError` as 400s."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_errors(exc))
    elif isinstance(exc, PermissionDeniedError):
        exc = exceptions.PermissionDenied(detail=exc.message)
    elif isinstance(exc, ApplicationError):
        detail: dict[str, Any] = {"detail": exc.message}
        detail.update(exc.extra)
        return Response(detail, status=400)
    return drf_exception_handler(exc, context)


def inline_serializer(*, name: str, fields: dict[str, serializers.Field]) -> type:
    """A throwaway serializer class, for outputs that do not deserve a module of their own."""
    return type(name, (serializers.Serializer,), fields)


def int_or_none(value: object) -> int | None:
    """A non-negative integer from a URL or query parameter; None for anything else."""
    text = "" if value is None else str(value)
    return int(text) if text.isdigit() else None


def found_or_404[T](lookup: Callable[[int], T | None], pk: object) -> T:
    """`lookup(id)` for a URL's id; 404 when the id is malformed or nothing is found (another
    tenant's objects are never found: row-level security hides them)."""
    object_id = int_or_none(pk)
    found = lookup(object_id) if object_id is not None else None
    if found is None:
        raise Http404
    return found
