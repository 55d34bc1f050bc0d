"""The prospect's pages: /p/<token>/ — no account, no session, noindex, rate-limited.

Every request goes through `_open`: the token is parsed, the tenant it names is opened (the
organisation id in front of the secret is only a routing hint: inside that tenant, row-level
security lets the lookup see that tenant's links alone), the link is found by the hash of the
secret, and only then are expiry, revocation and the PIN checked. A wrong token is a 404 that
says nothing more; an expired, revoked or replaced link is a 410 that names no proposal.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.throttling import client_ip
from apps.core.errors import ApplicationError
from apps.tenancy.context import tenant_context
from apps.tenancy.tokens import token_parse

from .branding import color_or_default, ink_for
from .documents import TEMPLATE_VERSION, cached, document_html
from .forms import AcceptForm, DeclineForm, PinForm
from .models import DocumentKind, Outcome, Proposal, ShareLink, ViewKind
from .selectors import proposal_decision, proposal_document_ready, share_link_by_hash
from .services import (
    DecisionConflictError,
    ProposalUnavailableError,
    ip_hash,
    link_problem,
    proposal_decide,
    proposal_expire_if_due,
    proposal_pdf_request,
    proposal_view_record,
)
from .views import logo_response, pdf_filename, pdf_response

logger = logging.getLogger(__name__)

MAX_ORGANIZATION_ID = 2**63 - 1
PIN_COOKIE_SALT = "proposals.share-link.pin"
PIN_COOKIE_SECONDS = 12 * 3600
PIN_FAILURES_PER_VISITOR = 5
PIN_FAILURES_PER_LINK = 30
PIN_WINDOW_SECONDS = 15 * 60


def _rate_limit() -> int:
    # Requests per minute per visitor (hashed IP); the benchmark raises it for its load test.
    return int(getattr(settings, "PROPOSALS_PUBLIC_RATE_PER_MINUTE", 120))


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    # The token is in the URL: never hand it to another site in a Referer header. Not
    # "no-referrer": with it Chromium sends `Origin: null` on the accept form's POST, which
    # CSRF protection rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response.setdefault("Cache-Control", "private, no-store")
    # No script runs on these pages; nothing may frame them or post their forms elsewhere.
    response.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    return response


def _unavailable(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _noindex(
        render(request, "proposals/public/unavailable.html", {"message": message}, status=status)
    )


NOT_FOUND = "This link is not valid. Check that you copied the whole address."


_redis_client = None


def _redis():
    """One client per process (Django's cache builds a new client object per call)."""
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    return _redis_client


def _throttled(request: HttpRequest, visitor: str) -> bool:
    """A fixed one-minute window per visitor (hashed IP), one round trip to Redis.

    If Redis is unreachable the page is served anyway: a prospect must not be locked out of
    their proposal because the limiter is down (the PIN throttle still applies).
    """
    import redis

    key = cache.make_key(f"proposals:public-rate:{visitor}:{int(time.time() // 60)}")
    try:
        pipe = _redis().pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, 120)
        count = pipe.execute()[0]
    except redis.RedisError:
        logger.warning("Rate limiter unavailable; serving the public page unthrottled")
        return False
    return count > _rate_limit()


class Visit:
    """What a public view works with: the link, its proposal, and who is asking."""

    def __init__(self, request: HttpRequest, token: str, link: ShareLink) -> None:
        self.request = request
        self.token = token
        self.link = link
        self.proposal: Proposal = link.proposal
        self.ip = client_ip(request)
        self.user_agent = request.headers.get("User-Agent", "")[:300]
        membership = getattr(request, "membership", None)
        # The sender previewing their own link is not the prospect opening it.
        self.internal = (
            membership is not None and membership.organization_id == link.organization_id
        )

    def record(self, kind: str) -> None:
        if not self.internal:
            proposal_view_record(
                proposal=self.proposal,
                link=self.link,
                kind=kind,
                ip=self.ip,
                user_agent=self.user_agent,
            )


def _pin_cookie_name(link: ShareLink) -> str:
    return f"pin_{link.pk}"


def _pin_cookie_value(link: ShareLink) -> str:
    # Changes whenever the PIN does, so an old unlock stops working.
    return hashlib.sha256(link.pin_hash.encode()).hexdigest()[:32]


def _pin_unlocked(request: HttpRequest, link: ShareLink) -> bool:
    value = request.get_signed_cookie(
        _pin_cookie_name(link), default=None, salt=PIN_COOKIE_SALT, max_age=PIN_COOKIE_SECONDS
    )
    return value == _pin_cookie_value(link)


def public_link_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token inside its tenant, check the link, then run `view(request, visit)`."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        visitor = ip_hash(client_ip(request))
        if _throttled(request, visitor):
            return _unavailable(request, "Too many requests. Wait a minute and try again.", 429)
        parsed = token_parse(token)
        if parsed is None or parsed.organization_id > MAX_ORGANIZATION_ID:
            return _unavailable(request, NOT_FOUND, 404)
        with tenant_context(parsed.organization_id):
            link = share_link_by_hash(secret_hash=parsed.secret_hash)
            if link is None:
                return _unavailable(request, NOT_FOUND, 404)
            proposal_expire_if_due(proposal=link.proposal)
            problem = link_problem(link, link.proposal)
            if problem is None and link.proposal.status == "expired":
                problem = "This proposal has expired. Ask the sender for an updated one."
            if problem:
                return _unavailable(request, problem, 410)
            if link.has_pin and not _pin_unlocked(request, link):
                if getattr(view, "pin_form", False):
                    return _noindex(view(request, Visit(request, token, link), **kwargs))
                # 404, as for a link that does not exist: without its PIN a protected link
                # shows nothing but the form that asks for it.
                return _pin_page(request, token, status=404)
            response = view(request, Visit(request, token, link), **kwargs)
        return _noindex(response)

    return wrapper


def _pin_page(request: HttpRequest, token: str, *, error: str = "", status: int) -> HttpResponse:
    return _noindex(
        render(
            request,
            "proposals/public/pin.html",
            {"form": PinForm(), "error": error, "action": reverse("public:pin", args=[token])},
            status=status,
        )
    )


PAGE_BASE = "__BREAKEVEN_PUBLIC_BASE__/"
CSRF_PLACEHOLDER = "__BREAKEVEN_CSRF_TOKEN__"


def _decision_of(proposal: Proposal):
    # Only an answered proposal has a decision row: no query for the others.
    if proposal.status in (Outcome.ACCEPTED, Outcome.DECLINED):
        return proposal_decision(proposal=proposal)
    return None


def _page_context(visit: Visit, *, base: str, **extra: Any) -> dict[str, Any]:
    proposal = visit.proposal
    decision = _decision_of(proposal)
    return {
        "base": base,
        "token": visit.token,
        "proposal": proposal,
        "decision": decision,
        "body": document_html(proposal, decision=decision, logo_url=f"{base}logo/"),
        "accept_form": extra.pop("accept_form", None) or AcceptForm(),
        "decline_form": extra.pop("decline_form", None) or DeclineForm(),
        "can_answer": proposal.is_open and decision is None,
        "brand": _brand(proposal),
        **extra,
    }


def _page(request: HttpRequest, visit: Visit, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The proposal page. The common case (an open proposal, empty forms) is rendered once per
    content hash with placeholders for the link's base URL and the CSRF token, and served from
    memory after that: the token itself never enters the cache."""
    base = reverse("public:proposal", args=[visit.token])
    proposal = visit.proposal
    if forms or not proposal.is_open:
        context = _page_context(visit, base=base, **forms)
        return render(request, "proposals/public/proposal.html", context, status=status)

    def build() -> str:
        context = _page_context(visit, base=PAGE_BASE, csrf_token=CSRF_PLACEHOLDER)
        return render_to_string("proposals/public/proposal.html", context)

    key = f"org:{proposal.organization_id}:proposal-page:{proposal.content_hash}:{TEMPLATE_VERSION}"
    html = cached(key, build)
    html = html.replace(PAGE_BASE, base).replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html, status=status)


def _brand(proposal: Proposal) -> dict[str, str]:
    """Colour and company name for the page chrome, without loading the snapshot when warm."""

    def build() -> tuple[str, str]:
        branding = proposal.snapshot.get("branding") or {}
        return (branding.get("primary_color", ""), branding.get("company_name", ""))

    color, company = cached(
        f"org:{proposal.organization_id}:proposal-brand:{proposal.content_hash}", build
    )
    color = color_or_default(color)
    return {"color": color, "ink": ink_for(color), "company": company}


@public_link_view
def proposal_page(request: HttpRequest, visit: Visit) -> HttpResponse:
    """The proposal as a web page, with its charts, the PDF, and Accept / Decline."""
    visit.record(ViewKind.PAGE)
    return _page(request, visit)


def _pin_view(request: HttpRequest, visit: Visit) -> HttpResponse:
    """Check a PIN; wrong attempts are counted per visitor and per link, then refused."""
    if request.method != "POST":
        return redirect("public:proposal", token=visit.token)
    link = visit.link
    visitor = ip_hash(visit.ip)
    keys = [
        f"org:{link.organization_id}:proposals:pin-fail:{link.pk}:{visitor}",
        f"org:{link.organization_id}:proposals:pin-fail:{link.pk}",
    ]
    counts = cache.get_many(keys)
    if (
        counts.get(keys[0], 0) >= PIN_FAILURES_PER_VISITOR
        or counts.get(keys[1], 0) >= PIN_FAILURES_PER_LINK
    ):
        return _pin_page(
            request,
            visit.token,
            error="Too many wrong PINs. Wait 15 minutes, or ask the sender.",
            status=429,
        )
    form = PinForm(request.POST)
    if form.is_valid() and link.has_pin and check_password(form.cleaned_data["pin"], link.pin_hash):
        response = redirect("public:proposal", token=visit.token)
        response.set_signed_cookie(
            _pin_cookie_name(link),
            _pin_cookie_value(link),
            salt=PIN_COOKIE_SALT,
            max_age=PIN_COOKIE_SECONDS,
            path=reverse("public:proposal", args=[visit.token]),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    if not link.has_pin:
        return redirect("public:proposal", token=visit.token)
    for key in keys:
        cache.add(key, 0, timeout=PIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=PIN_WINDOW_SECONDS)
    return _pin_page(request, visit.token, error="That PIN is not right.", status=403)


_pin_view.pin_form = True  # type: ignore[attr-defined]
pin_unlock = require_POST(public_link_view(_pin_view))


@public_link_view
def proposal_pdf(request: HttpRequest, visit: Visit) -> HttpResponse:
    """The stored PDF (the final version once accepted); rendered on demand if missing."""
    proposal = visit.proposal
    for kind in (DocumentKind.FINAL, DocumentKind.OFFER):
        document = proposal_document_ready(proposal=proposal, kind=kind)
        if document is not None:
            visit.record(ViewKind.PDF)
            return pdf_response(document, filename=pdf_filename(proposal, kind))
    with contextlib.suppress(ApplicationError):
        proposal_pdf_request(proposal=proposal, user=None)
    response = render(
        request,
        "proposals/public/pdf_pending.html",
        {"token": visit.token, "brand": _brand(proposal)},
        status=202,
    )
    response["Retry-After"] = "5"
    return response


@public_link_view
def proposal_logo(request: HttpRequest, visit: Visit) -> HttpResponse:
    logo = (visit.proposal.snapshot.get("branding") or {}).get("logo") or {}
    if not logo.get("path"):
        return _unavailable(request, "No logo.", 404)
    return logo_response(logo["path"], logo.get("content_type", ""))


def _decide(request: HttpRequest, visit: Visit, outcome: str, form) -> ApplicationError | None:
    data = form.cleaned_data
    try:
        proposal_decide(
            link=visit.link,
            outcome=outcome,
            ip=visit.ip,
            user_agent=visit.user_agent,
            full_name=data.get("full_name", ""),
            title=data.get("title", ""),
            email=data.get("email", ""),
            consent=bool(data.get("consent")),
            reason=data.get("reason", ""),
        )
    except ApplicationError as exc:
        return exc
    return None


def _decision_error(request: HttpRequest, visit: Visit, exc: ApplicationError, **forms: Any):
    if exc.extra:
        for _name, form in forms.items():
            for field, errors in exc.extra.items():
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
        return _page(request, visit, status=400, **forms)
    return _unavailable(request, exc.message, _decision_status(exc))


def _decision_status(exc: ApplicationError) -> int:
    if isinstance(exc, DecisionConflictError):
        return 409
    if isinstance(exc, ProposalUnavailableError):
        return 410
    return 400


@require_POST
@public_link_view
def proposal_accept(request: HttpRequest, visit: Visit) -> HttpResponse:
    """POST only, CSRF-protected; status, expiry and revocation are re-checked on the server."""
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, status=400, accept_form=form)
    error = _decide(request, visit, Outcome.ACCEPTED, form)
    if error is not None:
        return _decision_error(request, visit, error, accept_form=form)
    return redirect("public:certificate", token=visit.token)


@require_POST
@public_link_view
def proposal_decline(request: HttpRequest, visit: Visit) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, status=400, decline_form=form)
    error = _decide(request, visit, Outcome.DECLINED, form)
    if error is not None:
        return _decision_error(request, visit, error, decline_form=form)
    return redirect("public:proposal", token=visit.token)


@public_link_view
def proposal_certificate(request: HttpRequest, visit: Visit) -> HttpResponse:
    """What was accepted, by whom and when, with the proposal's fingerprint."""
    decision = proposal_decision(proposal=visit.proposal)
    if decision is None:
        return _unavailable(request, "This proposal has not been answered yet.", 404)
    visit.record(ViewKind.CERTIFICATE)
    return render(
        request,
        "proposals/public/certificate.html",
        {
            "token": visit.token,
            "proposal": visit.proposal,
            "decision": decision,
            "brand": _brand(visit.proposal),
            "final_pdf": proposal_document_ready(proposal=visit.proposal, kind=DocumentKind.FINAL),
        },
    )


# --- JSON endpoints for the prospect page (same checks, same CSRF protection) ---------------


def _summary_json(visit: Visit) -> dict[str, Any]:
    proposal = visit.proposal
    decision = proposal_decision(proposal=proposal)
    return {
        "title": proposal.title,
        "client": proposal.client_name,
        "version": proposal.version,
        "status": proposal.status,
        "valid_until": proposal.valid_until.isoformat(),
        "currency": proposal.currency,
        "tier": proposal.tier_name,
        "savings_pv": str(proposal.savings_pv) if proposal.savings_pv is not None else None,
        "monthly_fee": str(proposal.monthly_fee) if proposal.monthly_fee is not None else None,
        "payback_month": proposal.payback_month,
        "content_hash": proposal.content_hash,
        "can_answer": proposal.is_open and decision is None,
        "decision": (
            {
                "outcome": decision.outcome,
                "decided_at": decision.decided_at.isoformat(),
                "snapshot_hash": decision.snapshot_hash,
            }
            if decision
            else None
        ),
        "pdf_url": reverse("public:pdf", args=[visit.token]),
    }


@public_link_view
def api_proposal(request: HttpRequest, visit: Visit) -> HttpResponse:
    return JsonResponse(_summary_json(visit))


def _api_decide(request: HttpRequest, visit: Visit, outcome: str) -> HttpResponse:
    import json

    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "Send a JSON object."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": "Send a JSON object."}, status=400)
    form = (AcceptForm if outcome == Outcome.ACCEPTED else DeclineForm)(payload)
    if not form.is_valid():
        return JsonResponse(
            {"detail": "Check the form.", **form.errors.get_json_data()}, status=400
        )
    error = _decide(request, visit, outcome, form)
    if error is not None:
        status = _decision_status(error)
        return JsonResponse({"detail": error.message, **error.extra}, status=status)
    return JsonResponse(_summary_json(visit), status=200)


@require_POST
@public_link_view
def api_accept(request: HttpRequest, visit: Visit) -> HttpResponse:
    return _api_decide(request, visit, Outcome.ACCEPTED)


@require_POST
@public_link_view
def api_decline(request: HttpRequest, visit: Visit) -> HttpResponse:
    return _api_decide(request, visit, Outcome.DECLINED)
