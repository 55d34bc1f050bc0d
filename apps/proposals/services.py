"""Writes of the proposals app: branding, proposals, PDFs, share links, views, decisions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.errors import ApplicationError
from apps.core.money import to_cents
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_create
from apps.tenancy.context import require_organization_id
from apps.tenancy.models import Organization
from apps.tenancy.tokens import token_new

from .branding import DEFAULT_TERMS, color_is_valid, color_or_default
from .documents import pdf_html, render_key
from .logos import LogoRejected, logo_clean
from .models import (
    OPEN_STATUSES,
    Branding,
    DocumentKind,
    Outcome,
    Proposal,
    ProposalDecision,
    ProposalDocument,
    ProposalStatus,
    ShareLink,
)
from .rendering import RenderedPdf
from .selectors import branding_get, proposal_decision
from .snapshot import (
    SCHEMA_VERSION,
    content_hash,
    favours_break_fix,
    jsonable,
    recommended_option,
    snapshot_changes,
)
from .storage import store_by_hash

logger = logging.getLogger(__name__)

RENDER_TASK = "proposals.render_pdf"
PROPOSAL_VALIDITY_DAYS = 30
SHARE_LINK_DAYS = 30
SHARE_LINK_MAX_DAYS = 180


class ProposalLockedError(ApplicationError):
    """The proposal is frozen (sent, answered, withdrawn): it cannot be edited."""


class ProposalUnavailableError(ApplicationError):
    """The link or the proposal can no longer be answered (expired, revoked, replaced)."""


class DecisionConflictError(ApplicationError):
    """The prospect already gave the other answer."""


BRANDING_FIELDS = (
    "company_name",
    "primary_color",
    "address",
    "phone",
    "email",
    "website",
    "legal_footer",
    "default_terms",
)


@transaction.atomic
def branding_update(
    *,
    user: Any,
    data: dict[str, Any],
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Branding:
    """Save the organisation's branding; a new logo is validated, cleaned and stored by hash.

    Proposals already created keep the logo and details of their snapshot.
    """
    branding = branding_get()
    if branding.pk is not None:
        branding = Branding.objects.select_for_update().get(pk=branding.pk)
    for name in BRANDING_FIELDS:
        if name in data and data[name] is not None:
            setattr(branding, name, str(data[name]).strip())
    if not color_is_valid(branding.primary_color):
        raise ApplicationError(
            "Choose a colour.", extra={"primary_color": ["Use a colour like #1f5fbf."]}
        )
    branding.primary_color = branding.primary_color.lower()
    if remove_logo:
        branding.logo_path = branding.logo_content_type = branding.logo_sha256 = ""
    if logo is not None:
        try:
            clean = logo_clean(logo)
        except LogoRejected as exc:
            raise ApplicationError(str(exc), extra={"logo": [str(exc)]}) from exc
        name = store_by_hash(
            organization_id=require_organization_id(),
            folder="branding",
            content=clean.content,
            extension=clean.extension,
        )
        branding.logo_path = name
        branding.logo_content_type = clean.content_type
        branding.logo_sha256 = name.rsplit("/", 1)[-1].split(".")[0]
    branding.updated_by = user
    branding.full_clean(exclude=["organization", "updated_by"])
    branding.save()
    return branding


# --- proposals: snapshot, create, edit, revise, send, revoke ----------------------------------


def _analysis_ready(analysis: Any) -> None:
    if analysis is None:
        raise ApplicationError("Choose an analysis.", extra={"analysis": ["Required."]})
    if not analysis.result or not analysis.inputs:
        raise ApplicationError(
            "The analysis has not finished yet; wait for it, then create the proposal.",
            extra={"analysis": ["The analysis has not finished."]},
        )


def _tier_snapshot(version: Any) -> dict[str, Any]:
    if version is None:
        return {}
    fields = {
        f.name: getattr(version, f.name)
        for f in version._meta.concrete_fields
        if f.name not in ("id", "organization", "tier", "created_by", "created_at", "updated_at")
    }
    return jsonable(
        {**fields, "tier_id": version.tier_id, "version_id": version.pk, "version": version.number}
    )


def _assumption_snapshot(version: Any) -> dict[str, Any]:
    if version is None:
        return {}
    return jsonable(
        {
            "id": version.assumption_set_id,
            "version_id": version.pk,
            "version": version.number,
            "name": getattr(version.assumption_set, "name", ""),
            "values": version.values or {},
        }
    )


def _option_snapshot(analysis: Any, *, recommended: bool) -> dict[str, Any]:
    return jsonable(
        {
            "analysis_id": analysis.pk,
            "group": analysis.group,
            "recommended": recommended,
            "tier": _tier_snapshot(analysis.pricing_tier_version),
            "assumption_set": _assumption_snapshot(analysis.assumption_set_version),
            "inputs": analysis.inputs,
            "input_sources": analysis.input_sources or {},
            "overrides": analysis.overrides or {},
            "result": analysis.result,
            "engine_version": analysis.engine_version,
            "seed": analysis.seed,
            "finished_at": analysis.finished_at,
        }
    )


def _branding_snapshot(organization: Organization) -> dict[str, Any]:
    branding = branding_get()
    return {
        "company_name": branding.company_name or organization.name,
        "primary_color": color_or_default(branding.primary_color),
        "address": branding.address,
        "phone": branding.phone,
        "email": branding.email,
        "website": branding.website,
        "legal_footer": branding.legal_footer,
        "logo": (
            {
                "path": branding.logo_path,
                "content_type": branding.logo_content_type,
                "sha256": branding.logo_sha256,
            }
            if branding.logo_path
            else None
        ),
    }


def _client_snapshot(client: Any) -> dict[str, Any]:
    contact = client.contacts.order_by("id").first() if hasattr(client, "contacts") else None
    return {
        "id": client.pk,
        "name": client.name,
        "industry": client.industry,
        "website": client.website,
        "address": client.address,
        "contact": (
            {"name": contact.name, "role": contact.role, "email": contact.email}
            if contact
            else None
        ),
    }


def _assessment_snapshot(version: Any) -> dict[str, Any]:
    if version is None:
        return {}
    from apps.assessments.selectors import custom_answers_for_appendix

    assessment = version.assessment
    return jsonable(
        {
            "id": assessment.pk,
            "version_id": version.pk,
            "version": version.number,
            "title": assessment.title,
            "assessed_on": assessment.assessed_on,
            "answers": version.answers or {},
            "custom": [
                {"id": row["id"], "label": row.get("label", ""), "answer": row.get("answer")}
                for row in custom_answers_for_appendix(version)
            ],
        }
    )


def proposal_snapshot_build(
    *,
    analysis: Any,
    user: Any,
    title: str,
    valid_until: dt.date,
    terms: str,
    note: str,
    version: int,
    compare: bool = True,
) -> dict[str, Any]:
    """The frozen document: every fact the proposal shows, copied out of the live models."""
    _analysis_ready(analysis)
    organization = Organization.objects.get(id=require_organization_id())
    analyses = [analysis]
    if compare:
        from apps.tco.selectors import analysis_group

        # The tier comparison: the analyses started together, in the group's order (cheapest
        # tier first), finished ones only.
        group = [a for a in analysis_group(analysis.group) if a.result and a.inputs]
        if len(group) > 1 and any(a.pk == analysis.pk for a in group):
            analyses = group
    return jsonable(
        {
            "schema": SCHEMA_VERSION,
            "proposal": {
                "title": title,
                "version": version,
                "date": timezone.localdate(),
                "valid_until": valid_until,
                "terms": terms,
                "note": note,
                "prepared_by": {
                    "name": getattr(user, "full_name", "") or str(user),
                    "email": getattr(user, "email", ""),
                },
            },
            "organization": {
                "id": organization.pk,
                "name": organization.name,
                "currency": organization.currency,
            },
            "branding": _branding_snapshot(organization),
            "client": _client_snapshot(analysis.client),
            "assessment": _assessment_snapshot(analysis.assessment_version),
            "options": [_option_snapshot(a, recommended=a.pk == analysis.pk) for a in analyses],
        }
    )


def _apply_snapshot(proposal: Proposal, snapshot: dict[str, Any]) -> None:
    """Set the snapshot, its hash and the list columns copied from it."""
    option = recommended_option(snapshot)
    result = option.get("result") or {}
    derived = result.get("derived") or {}
    savings = (result.get("present_value") or {}).get("savings")
    fee = derived.get("monthly_recurring_fee")
    meta = snapshot["proposal"]
    proposal.snapshot = snapshot
    proposal.content_hash = content_hash(snapshot)
    proposal.title = meta["title"][:200]
    proposal.valid_until = dt.date.fromisoformat(meta["valid_until"])
    proposal.client_name = (snapshot.get("client") or {}).get("name", "")[:200]
    proposal.tier_name = ((option.get("tier") or {}).get("name") or "")[:200]
    proposal.currency = (snapshot.get("organization") or {}).get("currency", "USD")
    proposal.savings_pv = to_cents(savings) if savings is not None else None
    proposal.monthly_fee = to_cents(fee) if fee is not None else None
    proposal.payback_month = result.get("payback_month")
    proposal.favours_break_fix = favours_break_fix(result)


def _clean_meta(
    *, title: str | None, valid_until: Any, terms: str | None, client_name: str
) -> tuple[str, dt.date, str]:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip() or f"Managed IT services for {client_name}"
    if len(title) > 200:
        errors["title"] = ["At most 200 characters."]
    if valid_until in (None, ""):
        valid_until = timezone.localdate() + dt.timedelta(days=PROPOSAL_VALIDITY_DAYS)
    elif isinstance(valid_until, str):
        try:
            valid_until = dt.date.fromisoformat(valid_until)
        except ValueError:
            errors["valid_until"] = ["Use a date like 2026-12-31."]
    if isinstance(valid_until, dt.date) and valid_until < timezone.localdate():
        errors["valid_until"] = ["The proposal must be valid until today or later."]
    terms = (terms or "").strip() or (branding_get().default_terms or DEFAULT_TERMS)
    if errors:
        raise ApplicationError("Check the proposal's details.", extra=errors)
    return title, valid_until, terms


@transaction.atomic
def proposal_create(
    *,
    analysis: Any,
    user: Any,
    title: str | None = None,
    valid_until: Any = None,
    terms: str | None = None,
    note: str = "",
    compare: bool = True,
) -> Proposal:
    """A draft proposal: version 1 of a new series, frozen from `analysis` (and its group)."""
    _analysis_ready(analysis)
    title, valid_until, terms = _clean_meta(
        title=title, valid_until=valid_until, terms=terms, client_name=analysis.client.name
    )
    snapshot = proposal_snapshot_build(
        analysis=analysis,
        user=user,
        title=title,
        valid_until=valid_until,
        terms=terms,
        note=(note or "").strip(),
        version=1,
        compare=compare,
    )
    proposal = Proposal(client=analysis.client, analysis=analysis, created_by=user, version=1)
    _apply_snapshot(proposal, snapshot)
    proposal.save()
    return proposal


def _refuse_if_frozen(proposal: Proposal) -> None:
    if proposal.is_frozen:
        raise ProposalLockedError(
            f"This proposal is {proposal.get_status_display().lower()}: it can no longer be "
            "edited. Create a revision instead."
        )


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    title: str | None = None,
    valid_until: Any = None,
    terms: str | None = None,
    note: str | None = None,
) -> Proposal:
    """Edit a draft's title, validity, terms or cover note; the content hash follows."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _refuse_if_frozen(proposal)
    meta = dict(proposal.snapshot["proposal"])
    title, valid_until, terms = _clean_meta(
        title=meta["title"] if title is None else title,
        valid_until=meta["valid_until"] if valid_until is None else valid_until,
        terms=meta["terms"] if terms is None else terms,
        client_name=proposal.client_name,
    )
    meta.update(
        title=title,
        valid_until=valid_until,
        terms=terms,
        note=meta.get("note", "") if note is None else note.strip(),
    )
    _apply_snapshot(proposal, jsonable({**proposal.snapshot, "proposal": meta}))
    proposal.save()
    return proposal


@transaction.atomic
def proposal_revise(
    *,
    proposal: Proposal,
    user: Any,
    analysis: Any = None,
    title: str | None = None,
    valid_until: Any = None,
    terms: str | None = None,
    note: str | None = None,
) -> Proposal:
    """A new version of the proposal, from `analysis` (or the same one), with a readable diff.

    The old version is superseded unless the prospect already answered it; its share links
    then answer 410. An accepted proposal is final and cannot be revised.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == ProposalStatus.ACCEPTED:
        raise ProposalLockedError("This proposal was accepted; it cannot be revised.")
    latest = Proposal.objects.filter(series=proposal.series).order_by("-version").first()
    if latest is not None and latest.pk != proposal.pk:
        raise ApplicationError(f"Revise the latest version (version {latest.version}).")
    analysis = analysis or proposal.analysis
    _analysis_ready(analysis)
    if analysis.client_id != proposal.client_id:
        raise ApplicationError(
            "That analysis is for another client.", extra={"analysis": ["Another client."]}
        )
    old_meta = proposal.snapshot.get("proposal") or {}
    valid = valid_until
    if valid is None and dt.date.fromisoformat(old_meta["valid_until"]) >= timezone.localdate():
        valid = old_meta["valid_until"]
    title, valid, terms = _clean_meta(
        title=old_meta.get("title") if title is None else title,
        valid_until=valid,
        terms=old_meta.get("terms") if terms is None else terms,
        client_name=analysis.client.name,
    )
    snapshot = proposal_snapshot_build(
        analysis=analysis,
        user=user,
        title=title,
        valid_until=valid,
        terms=terms,
        note=old_meta.get("note", "") if note is None else note.strip(),
        version=proposal.version + 1,
        compare=len(proposal.snapshot.get("options") or []) > 1
        or analysis.group != getattr(proposal.analysis, "group", None),
    )
    revision = Proposal(
        client=proposal.client,
        analysis=analysis,
        created_by=user,
        series=proposal.series,
        version=proposal.version + 1,
        previous=proposal,
    )
    _apply_snapshot(revision, snapshot)
    revision.changes = snapshot_changes(proposal.snapshot, snapshot) or ["no change in figures"]
    revision.save()
    if proposal.status in (
        ProposalStatus.DRAFT,
        ProposalStatus.SENT,
        ProposalStatus.VIEWED,
        ProposalStatus.EXPIRED,
    ):
        proposal.status = ProposalStatus.SUPERSEDED
        proposal.closed_at = timezone.now()
        proposal.save(update_fields=["status", "closed_at", "updated_at"])
    return revision


def _warning_unacknowledged(proposal: Proposal, acknowledged: bool) -> None:
    if proposal.favours_break_fix and not acknowledged:
        raise ApplicationError(
            "The numbers favour Break/Fix: confirm that you have read the warning before sending.",
            extra={
                "acknowledge_warning": [
                    "Tick the box to confirm you read the warning: the proposal says plainly "
                    "that Break/Fix is cheaper or that the savings come only from risk."
                ]
            },
        )


@transaction.atomic
def proposal_send(*, proposal: Proposal, user: Any, acknowledge_warning: bool = False) -> Proposal:
    """Freeze the draft for good: status sent, and its PDF rendered in the background."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        return proposal
    _warning_unacknowledged(proposal, acknowledge_warning)
    if proposal.valid_until < timezone.localdate():
        raise ApplicationError(
            "The proposal's validity has passed; change the date before sending.",
            extra={"valid_until": ["In the past."]},
        )
    proposal.status = ProposalStatus.SENT
    proposal.sent_at = timezone.now()
    proposal.save(update_fields=["status", "sent_at", "updated_at"])
    proposal_pdf_request(proposal=proposal, user=user)
    return proposal


@transaction.atomic
def proposal_revoke(*, proposal: Proposal, user: Any = None) -> Proposal:
    """Withdraw the proposal: every share link answers 410 from now on."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED):
        raise ProposalLockedError("The prospect already answered; the proposal cannot be revoked.")
    if proposal.status not in (ProposalStatus.REVOKED, ProposalStatus.SUPERSEDED):
        proposal.status = ProposalStatus.REVOKED
        proposal.closed_at = timezone.now()
        proposal.save(update_fields=["status", "closed_at", "updated_at"])
    return proposal


def proposal_expire_if_due(*, proposal: Proposal) -> Proposal:
    """Past its validity date, a sent, unanswered proposal becomes `expired` (on access).

    Drafts never expire: their date can still be changed before sending.
    """
    if proposal.status in OPEN_STATUSES and proposal.valid_until < timezone.localdate():
        updated = Proposal.objects.filter(pk=proposal.pk, status__in=OPEN_STATUSES).update(
            status=ProposalStatus.EXPIRED, closed_at=timezone.now()
        )
        if updated:
            proposal.status = ProposalStatus.EXPIRED
    return proposal


# --- PDFs ---------------------------------------------------------------------------------------


@dataclass
class PdfRequest:
    document: ProposalDocument
    job: Job | None


@transaction.atomic
def proposal_pdf_request(*, proposal: Proposal, user: Any, kind: str = DocumentKind.OFFER):
    """The stored PDF of this version, or the job that renders it (at most one at a time).

    Asking twice for the same version (same render key) serves the stored file: the key is
    unique per proposal, the row is locked while deciding, and a job already queued or running
    is reused rather than started again.
    """
    decision = proposal_decision(proposal=proposal) if kind == DocumentKind.FINAL else None
    if kind == DocumentKind.FINAL and (decision is None or decision.outcome != Outcome.ACCEPTED):
        raise ApplicationError("The final version exists once the proposal is accepted.")
    key = render_key(proposal, kind=kind, decision=decision)
    document = ProposalDocument.objects.filter(proposal=proposal, render_key=key).first()
    if document is not None and document.is_ready:
        return PdfRequest(document, None)  # stored: no lock, no job (the common case)
    if document is None:
        try:
            with transaction.atomic():
                document = ProposalDocument.objects.create(
                    proposal=proposal, render_key=key, kind=kind
                )
        except IntegrityError:  # a concurrent request created it first
            document = ProposalDocument.objects.get(proposal=proposal, render_key=key)
    document = (
        ProposalDocument.objects.select_for_update(of=("self",))
        .select_related("job")
        .get(pk=document.pk)
    )
    if document.is_ready:
        return PdfRequest(document, None)
    if document.job is not None and document.job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return PdfRequest(document, document.job)
    job = job_create(
        kind="proposal_pdf",
        task_name=RENDER_TASK,
        params={"document_id": document.pk},
        created_by=user,
    )
    document.job = job
    document.save(update_fields=["job", "updated_at"])
    return PdfRequest(document, job)


@dataclass
class PreparedPdf:
    html: str
    allowed_media: set[str]
    identifier: str


def proposal_pdf_prepare(*, document_id: int) -> PreparedPdf | None:
    """The HTML to render for a document row; None when it is missing or already stored."""
    document = ProposalDocument.objects.select_related("proposal").filter(id=document_id).first()
    if document is None:
        logger.warning("Proposal document %s does not exist in this tenant", document_id)
        return None
    if document.is_ready:
        return None
    decision = None
    if document.kind == DocumentKind.FINAL:
        decision = proposal_decision(proposal=document.proposal)
    html, media = pdf_html(document.proposal, decision=decision)
    return PreparedPdf(html=html, allowed_media=media, identifier=document.render_key[:32])


@transaction.atomic
def proposal_pdf_store(*, document_id: int, pdf: RenderedPdf, seconds: float) -> ProposalDocument:
    """Store the rendered bytes by content hash and mark the document ready (once)."""
    document = ProposalDocument.objects.select_for_update().get(id=document_id)
    if document.is_ready:
        return document
    name = store_by_hash(
        organization_id=document.organization_id,
        folder="proposals",
        content=pdf.content,
        extension="pdf",
    )
    document.file_path = name
    document.sha256 = pdf.sha256
    document.size = len(pdf.content)
    document.pages = pdf.pages
    document.render_seconds = round(seconds, 3)
    document.rendered_at = timezone.now()
    document.save()
    return document


# --- share links ----------------------------------------------------------------------------


def _clean_expiry(expires_at: Any, expires_in_days: Any) -> dt.datetime:
    now = timezone.now()
    if expires_at in (None, "") and expires_in_days in (None, ""):
        return now + dt.timedelta(days=SHARE_LINK_DAYS)
    if expires_at in (None, ""):
        try:
            days = int(expires_in_days)
        except (TypeError, ValueError):
            days = -1
        if not 1 <= days <= SHARE_LINK_MAX_DAYS:
            raise ApplicationError(
                "Choose how long the link works.",
                extra={"expires_in_days": [f"Between 1 and {SHARE_LINK_MAX_DAYS} days."]},
            )
        return now + dt.timedelta(days=days)
    if isinstance(expires_at, str):
        parsed = parse_datetime(expires_at)
        if parsed is None:
            parsed_date = parse_date(expires_at)
            if parsed_date is not None:
                parsed = dt.datetime.combine(parsed_date, dt.time(23, 59, 59))
        expires_at = parsed
    if not isinstance(expires_at, dt.datetime):
        raise ApplicationError(
            "Check the expiry.", extra={"expires_at": ["Use a date like 2026-12-31."]}
        )
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now or expires_at > now + dt.timedelta(days=SHARE_LINK_MAX_DAYS):
        raise ApplicationError(
            "Check the expiry.",
            extra={"expires_at": [f"Between now and {SHARE_LINK_MAX_DAYS} days from now."]},
        )
    return expires_at


@transaction.atomic
def share_link_create(
    *,
    proposal: Proposal,
    user: Any,
    expires_at: Any = None,
    expires_in_days: Any = None,
    pin: str = "",
    label: str = "",
    acknowledge_warning: bool = False,
) -> tuple[ShareLink, str]:
    """A link for the prospect; the token is returned once and only its hash is kept.

    Sharing a draft sends it (it is frozen from then on).
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal_expire_if_due(proposal=proposal)
    if proposal.status not in (ProposalStatus.DRAFT, *OPEN_STATUSES):
        raise ApplicationError(
            f"This proposal is {proposal.get_status_display().lower()}; it cannot be shared."
        )
    expiry = _clean_expiry(expires_at, expires_in_days)
    pin = (pin or "").strip()
    if pin and not (4 <= len(pin) <= 20):
        raise ApplicationError("Check the PIN.", extra={"pin": ["Use 4 to 20 characters."]})
    if proposal.status == ProposalStatus.DRAFT:
        proposal = proposal_send(
            proposal=proposal, user=user, acknowledge_warning=acknowledge_warning
        )
    token, token_hash = token_new(require_organization_id())
    link = ShareLink.objects.create(
        proposal=proposal,
        label=(label or "").strip()[:100],
        token_hash=token_hash,
        pin_hash=make_password(pin) if pin else "",
        expires_at=expiry,
        created_by=user,
    )
    return link, token


def share_link_revoke(*, link: ShareLink, user: Any = None) -> ShareLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    return link


def share_link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("public:proposal", args=[token])


# --- the prospect: views and decisions --------------------------------------------------------


def ip_hash(ip: str) -> str:
    """HMAC of the address with the secret key: comparable, not reversible without the key."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def _notify(proposal: Proposal, subject: str, body: str) -> None:
    user = proposal.created_by
    if user is None or not user.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("proposals:detail", args=[proposal.pk])
    transaction.on_commit(
        lambda: send_mail(subject, f"{body}\n\nOpen the proposal: {link}\n", None, [user.email])
    )


_VIEW_INSERT = (
    "INSERT INTO proposals_proposalview (created_at, updated_at, organization_id, proposal_id, "
    "share_link_id, kind, viewed_at, ip_hash, user_agent) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def proposal_view_record(
    *, proposal: Proposal, link: ShareLink | None, kind: str, ip: str, user_agent: str
) -> None:
    """Record one opening; the first one marks the proposal viewed and tells the salesperson.

    One INSERT per view and nothing else on the hot path: the link's open count is counted
    from these rows when shown, so concurrent views never queue on a shared row lock.
    """
    now = timezone.now()
    with connection.cursor() as cursor:
        # A view event is analytics: if the server crashed in the next fraction of a second,
        # losing it would be acceptable, so this transaction does not wait for the WAL flush
        # (commits stay atomic and ordered; only their durability is deferred). Decisions,
        # which must never be lost, keep synchronous commits.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # One plain INSERT: this runs on every open of the share page (the hot path).
        cursor.execute(
            _VIEW_INSERT,
            [
                now,
                now,
                require_organization_id(),
                proposal.pk,
                link.pk if link is not None else None,
                kind,
                now,
                ip_hash(ip),
                (user_agent or "")[:300],
            ],
        )
    if proposal.first_viewed_at is not None:
        return
    # A conditional update: only the first view of all finds first_viewed_at empty, so the
    # e-mail goes out once even when two views arrive together.
    first = Proposal.objects.filter(pk=proposal.pk, first_viewed_at__isnull=True).update(
        first_viewed_at=now
    )
    if first:
        proposal.first_viewed_at = now
        if Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.SENT).update(
            status=ProposalStatus.VIEWED
        ):
            proposal.status = ProposalStatus.VIEWED
        _notify(
            proposal,
            f"{proposal.client_name} opened your proposal",
            f"{proposal.client_name} opened “{proposal.title}” (version {proposal.version}) "
            f"for the first time on {timezone.localtime(now):%-d %B %Y at %H:%M %Z}.",
        )


def link_problem(link: ShareLink, proposal: Proposal) -> str | None:
    """Why this link no longer opens the proposal (answered with 410), or None."""
    if link.revoked_at is not None:
        return "This link was withdrawn by the sender."
    if link.expires_at <= timezone.now():
        return "This link has expired."
    if proposal.status == ProposalStatus.REVOKED:
        return "This proposal was withdrawn by the sender."
    if proposal.status == ProposalStatus.SUPERSEDED:
        return "This proposal was replaced by a newer version. Ask the sender for the new link."
    if proposal.status == ProposalStatus.DRAFT:
        return "This proposal is not available."
    return None


@transaction.atomic
def proposal_decide(
    *,
    link: ShareLink,
    outcome: str,
    ip: str,
    user_agent: str,
    full_name: str = "",
    title: str = "",
    email: str = "",
    consent: bool = False,
    reason: str = "",
) -> ProposalDecision:
    """Accept or decline, re-checking everything on the server under a row lock.

    Idempotent: the same answer twice returns the first record. The record keeps the
    snapshot hash, so what was accepted can be proven later.
    """
    proposal = Proposal.objects.select_for_update().get(pk=link.proposal_id)
    link = ShareLink.objects.get(pk=link.pk)
    existing = proposal_decision(proposal=proposal)
    if existing is not None:
        if existing.outcome == outcome:
            return existing
        raise DecisionConflictError(
            f"This proposal was already {existing.get_outcome_display().lower()}."
        )
    problem = link_problem(link, proposal)
    if problem:
        raise ProposalUnavailableError(problem)
    proposal_expire_if_due(proposal=proposal)
    if proposal.status == ProposalStatus.EXPIRED:
        raise ProposalUnavailableError("This proposal has expired; ask the sender for a new one.")
    if proposal.status not in OPEN_STATUSES:
        raise ProposalUnavailableError("This proposal can no longer be answered.")
    if outcome not in Outcome.values:
        raise ApplicationError("Unknown answer.")
    full_name, title, email = full_name.strip(), title.strip(), email.strip()
    if outcome == Outcome.ACCEPTED:
        errors: dict[str, list[str]] = {}
        if len(full_name) < 2:
            errors["full_name"] = ["Type your full name."]
        if not email or "@" not in email:
            errors["email"] = ["Enter your e-mail address."]
        if not consent:
            errors["consent"] = ["Tick the box to confirm you accept the terms."]
        if errors:
            raise ApplicationError("Check the form.", extra=errors)
    terms = (proposal.snapshot.get("proposal") or {}).get("terms", "")
    decision = ProposalDecision.objects.create(
        proposal=proposal,
        share_link=link,
        outcome=outcome,
        full_name=full_name[:200],
        title=title[:200],
        email=email[:254],
        consent=bool(consent) if outcome == Outcome.ACCEPTED else False,
        reason=(reason or "").strip()[:2000],
        decided_at=timezone.now(),
        ip_hash=ip_hash(ip),
        user_agent=(user_agent or "")[:300],
        snapshot_hash=proposal.content_hash,
        terms_hash=hashlib.sha256(terms.encode()).hexdigest(),
    )
    proposal.status = outcome
    proposal.decided_at = decision.decided_at
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    if outcome == Outcome.ACCEPTED:
        _notify(
            proposal,
            f"{proposal.client_name} accepted your proposal",
            f"{full_name} ({email}) accepted “{proposal.title}” (version {proposal.version}).",
        )
        proposal_pdf_request(proposal=proposal, user=None, kind=DocumentKind.FINAL)
    else:
        _notify(
            proposal,
            f"{proposal.client_name} declined your proposal",
            f"“{proposal.title}” (version {proposal.version}) was declined."
            + (f"\n\nReason given: {decision.reason}" if decision.reason else ""),
        )
    return decision
