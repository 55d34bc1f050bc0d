"""Salesperson and admin pages: branding, proposals, PDFs, share links, timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError
from apps.tenancy.permissions import admin_required

from . import presentation
from .branding import DEFAULT_TERMS
from .documents import document_html
from .forms import BrandingForm, ProposalCreateForm, ProposalForm, ShareLinkForm
from .models import DocumentKind, ProposalStatus
from .selectors import (
    branding_get,
    proposal_decision,
    proposal_document_latest,
    proposal_document_ready,
    proposal_get,
    proposal_list,
    proposal_versions,
    proposal_view_list,
    share_link_get,
    share_link_list,
)
from .services import (
    ProposalLockedError,
    branding_update,
    proposal_create,
    proposal_pdf_request,
    proposal_revise,
    proposal_revoke,
    proposal_send,
    proposal_update,
    share_link_create,
    share_link_revoke,
    share_link_url,
)
from .snapshot import favours_break_fix, recommended_option
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


def _proposal_or_404(request: HttpRequest, proposal_id: int):
    _member(request)
    proposal = proposal_get(proposal_id=proposal_id)
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def _analysis_or_none(analysis_id: Any):
    from apps.tco.selectors import analysis_get

    try:
        return analysis_get(int(analysis_id))
    except (TypeError, ValueError):
        return None


# --- branding -------------------------------------------------------------------------------


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
    response = HttpResponse(body, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    # An SVG opened on its own must not run anything, even after sanitising.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- proposals ------------------------------------------------------------------------------


@login_required
def proposal_list_view(request: HttpRequest) -> HttpResponse:
    _member(request)
    status = request.GET.get("status") or None
    if status not in ProposalStatus.values:
        status = None
    page = Paginator(proposal_list(status=status), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/list.html",
        {"page": page, "status": status, "statuses": ProposalStatus.choices},
    )


@login_required
def proposal_create_view(request: HttpRequest) -> HttpResponse:
    """New proposal from a finished analysis: GET /proposals/new/?analysis=<id>, or a POST."""
    _member(request)
    analysis_id = request.POST.get("analysis") or request.GET.get("analysis")
    analysis = _analysis_or_none(analysis_id)
    if analysis is None:
        raise Http404("No such analysis.")
    branding = branding_get()
    form = ProposalCreateForm(
        request.POST or None,
        initial={
            "analysis": analysis.pk,
            "title": f"Managed IT services for {analysis.client.name}",
            "terms": branding.default_terms or DEFAULT_TERMS,
            "compare": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A bare POST from the analysis page carries only the analysis: compare by default.
        compare = data["compare"] if "title" in request.POST else True
        try:
            proposal = proposal_create(
                analysis=analysis,
                user=request.user,
                title=data["title"],
                valid_until=data["valid_until"],
                terms=data["terms"],
                note=data["note"],
                compare=compare,
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Draft proposal created. Check it, then share it.")
            return redirect("proposals:detail", proposal_id=proposal.pk)
    return render(
        request,
        "proposals/create.html",
        {
            "form": form,
            "analysis": analysis,
            "ready": bool(analysis.result),
            "favours_break_fix": favours_break_fix(analysis.result),
        },
    )


def _detail_context(request: HttpRequest, proposal, **extra: Any) -> dict[str, Any]:
    document = proposal_document_latest(proposal=proposal)
    return {
        "proposal": proposal,
        "versions": proposal_versions(proposal=proposal),
        "links": list(share_link_list(proposal=proposal)),
        "views": proposal_view_list(proposal=proposal),
        "decision": proposal_decision(proposal=proposal),
        "document": document,
        "job": document.job if document and not document.is_ready else None,
        "offer_pdf": proposal_document_ready(proposal=proposal, kind=DocumentKind.OFFER),
        "final_pdf": proposal_document_ready(proposal=proposal, kind=DocumentKind.FINAL),
        "link_form": extra.pop("link_form", None) or ShareLinkForm(),
        "summary": _summary(proposal),
        "now": timezone.now(),
        **extra,
    }


def _summary(proposal) -> dict[str, Any]:
    return presentation.summary(recommended_option(proposal.snapshot), proposal.currency)


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


@login_required
def proposal_preview(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The proposal as the prospect will see it (without the accept buttons)."""
    proposal = _proposal_or_404(request, proposal_id)
    logo = reverse("proposals:logo", args=[proposal.pk])
    body = document_html(proposal, decision=proposal_decision(proposal=proposal), logo_url=logo)
    return render(request, "proposals/preview.html", {"proposal": proposal, "body": body})


@login_required
def proposal_logo(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    logo = (proposal.snapshot.get("branding") or {}).get("logo") or {}
    if not logo.get("path"):
        raise Http404("No logo.")
    return logo_response(logo["path"], logo.get("content_type", ""))


def _locked(request: HttpRequest, proposal, message: str) -> HttpResponse:
    return render(
        request, "proposals/locked.html", {"proposal": proposal, "message": message}, status=409
    )


@login_required
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Edit a draft; a sent, answered or withdrawn proposal answers 409 and stays as it is."""
    proposal = _proposal_or_404(request, proposal_id)
    if proposal.is_frozen:
        return _locked(
            request,
            proposal,
            f"This proposal is {proposal.get_status_display().lower()}: it can no longer be "
            "edited. Create a revision instead.",
        )
    meta = proposal.snapshot.get("proposal") or {}
    form = ProposalForm(
        request.POST or None,
        initial={
            "title": meta.get("title"),
            "valid_until": meta.get("valid_until"),
            "note": meta.get("note"),
            "terms": meta.get("terms"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal_update(
                proposal=proposal,
                title=data["title"],
                valid_until=data["valid_until"],
                terms=data["terms"],
                note=data["note"],
            )
        except ProposalLockedError as exc:
            return _locked(request, proposal, exc.message)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Draft saved.")
            return redirect("proposals:detail", proposal_id=proposal.pk)
    return render(request, "proposals/edit.html", {"proposal": proposal, "form": form})


@login_required
def proposal_revise_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A new version from another analysis of the same client (or the same one)."""
    from apps.tco.selectors import analysis_list

    proposal = _proposal_or_404(request, proposal_id)
    analyses = list(analysis_list(client_id=proposal.client_id, status="succeeded")[:50])
    error = None
    if request.method == "POST":
        analysis = _analysis_or_none(request.POST.get("analysis")) or None
        try:
            revision = proposal_revise(proposal=proposal, user=request.user, analysis=analysis)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Version {revision.version} created as a draft.")
            return redirect("proposals:detail", proposal_id=revision.pk)
    return render(
        request,
        "proposals/revise.html",
        {"proposal": proposal, "analyses": analyses, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def proposal_send_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    try:
        proposal_send(
            proposal=proposal,
            user=request.user,
            acknowledge_warning=bool(request.POST.get("acknowledge_warning")),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Marked as sent: the proposal is frozen from now on.")
    return redirect("proposals:detail", proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_revoke_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    try:
        proposal_revoke(proposal=proposal, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Proposal withdrawn: its links no longer open it.")
    return redirect("proposals:detail", proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_render_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Render (or find) the PDF of this version; the page shows the job's progress."""
    proposal = _proposal_or_404(request, proposal_id)
    kind = request.POST.get("kind") or DocumentKind.OFFER
    if kind not in DocumentKind.values:
        kind = DocumentKind.OFFER
    try:
        pdf = proposal_pdf_request(proposal=proposal, user=request.user, kind=kind)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("proposals:detail", proposal_id=proposal.pk)
    if request.headers.get("HX-Request") and pdf.job is not None:
        return render(request, "jobs/_progress.html", {"job": pdf.job})
    if pdf.job is None:
        messages.success(request, "The PDF of this version is ready.")
    return redirect("proposals:detail", proposal_id=proposal.pk)


def pdf_response(document, *, filename: str) -> HttpResponse:
    try:
        body = read_bytes(document.file_path)
    except OSError as exc:
        raise Http404("The PDF file is missing.") from exc
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(body))
    response["ETag"] = f'"{document.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_filename(proposal, kind: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in proposal.client_name).strip("-")[:60]
    suffix = "-accepted" if kind == DocumentKind.FINAL else ""
    return f"proposal-{safe or proposal.pk}-v{proposal.version}{suffix}.pdf"


@login_required
def proposal_pdf_download(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    kind = request.GET.get("kind") or DocumentKind.OFFER
    if kind not in DocumentKind.values:
        raise Http404
    document = proposal_document_ready(proposal=proposal, kind=kind)
    if document is None:
        raise Http404("The PDF has not been rendered yet.")
    return pdf_response(document, filename=pdf_filename(proposal, kind))


@login_required
@require_POST
def share_link_create_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Create a link; its URL is shown on this response only (the token is not stored)."""
    proposal = _proposal_or_404(request, proposal_id)
    form = ShareLinkForm(request.POST)
    new_link_url = None
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, token = share_link_create(
                proposal=proposal,
                user=request.user,
                expires_in_days=data["expires_in_days"],
                pin=data["pin"],
                label=data["label"],
                acknowledge_warning=data["acknowledge_warning"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
            status = 400
        else:
            new_link_url = share_link_url(token)
            form = ShareLinkForm()
            proposal = proposal_get(proposal_id=proposal.pk)
    else:
        status = 400
    context = _detail_context(request, proposal, link_form=form, new_link_url=new_link_url)
    response = render(request, "proposals/detail.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page carries the one-time link
    return response


@login_required
@require_POST
def share_link_revoke_view(request: HttpRequest, proposal_id: int, share_link_id: int):
    proposal = _proposal_or_404(request, proposal_id)
    link = share_link_get(share_link_id=share_link_id, proposal=proposal)
    if link is None:
        raise Http404("No such link.")
    share_link_revoke(link=link, user=request.user)
    messages.success(request, "Link revoked: it answers “gone” from now on.")
    return redirect("proposals:detail", proposal_id=proposal.pk)


@login_required
def proposal_certificate(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    decision = proposal_decision(proposal=proposal)
    if decision is None:
        raise Http404("No decision yet.")
    return render(
        request,
        "proposals/certificate_page.html",
        {
            "proposal": proposal,
            "decision": decision,
            "final_pdf": proposal_document_ready(proposal=proposal, kind=DocumentKind.FINAL),
        },
    )
