"""Salesperson and admin pages: branding, proposals, PDFs, share links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.core.errors import ApplicationError
from apps.tenancy.permissions import admin_required

from .branding import DEFAULT_TERMS
from .forms import BrandingForm
from .selectors import branding_get
from .services import branding_update
from .storage import read_bytes


def _member(request: HttpRequest) -> None:
    if getattr(request, "membership", None) is None:
        raise PermissionDenied("You are not a member of an organisation.")


def _apply_errors(form, exc: ApplicationError) -> None:
    if exc.extra:
        for field, errors in exc.extra.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc.message)


@admin_required
def branding_edit(request: HttpRequest) -> HttpResponse:
    """Admins set the logo, colour, company details, legal footer and default terms."""
    branding = branding_get()
    initial = {
        "company_name": branding.company_name,
        "primary_color": branding.primary_color,
        "address": branding.address,
        "phone": branding.phone,
        "email": branding.email,
        "website": branding.website,
        "legal_footer": branding.legal_footer,
        "default_terms": branding.default_terms or DEFAULT_TERMS,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("logo", None)
        remove = data.pop("remove_logo", False)
        try:
            branding_update(
                user=request.user,
                data=data,
                logo=upload.read() if upload else None,
                remove_logo=remove and not upload,
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Branding saved. New proposals will use it.")
            return redirect("proposals:branding")
    return render(request, "proposals/branding.html", {"form": form, "branding": branding})


@login_required
def branding_logo(request: HttpRequest) -> HttpResponse:
    """The organisation's current logo, for the branding page."""
    _member(request)
    branding = branding_get()
    if not branding.logo_path:
        raise Http404("No logo.")
    return logo_response(branding.logo_path, branding.logo_content_type)


def logo_response(path: str, content_type: str) -> HttpResponse:
    """A stored logo; the name is a content hash, so it may be cached for good."""
    try:
        body = read_bytes(path)
    except OSError as exc:
        raise Http404("No logo.") from exc
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    # An SVG opened on its own must not run anything, even after sanitising.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
