"""Home, dashboard, health check and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect("accounts:login")


# Panels other apps may provide, in display order. A panel is a template; it loads its data
# through its own app's template tags, so core imports no app.
DASHBOARD_PANELS = (
    "proposals/_dashboard.html",
    "tco/_dashboard.html",
    "clients/_dashboard.html",
)


def _existing_templates(names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = _existing_templates(DASHBOARD_PANELS) if getattr(request, "membership", None) else []
    return render(request, "core/dashboard.html", {"panels": panels})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You cannot do this."
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
