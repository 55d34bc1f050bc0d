"""Branding, proposal snapshots, their PDFs, share links, view events and decisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from apps.tenancy.models import TenantModel

DEFAULT_PRIMARY_COLOR = "#1f5fbf"


class Branding(TenantModel):
    """The organisation's look on proposals: logo, colour, company details, legal text.

    One row per organisation, created on the first save. Logos are stored by content hash and
    never overwritten, so a proposal's snapshot keeps pointing at the logo it was sent with.
    """

    company_name = models.CharField(max_length=200, blank=True)
    primary_color = models.CharField(max_length=7, default=DEFAULT_PRIMARY_COLOR)
    # Relative to the media root: org/<organization id>/branding/<sha256>.<ext>
    logo_path = models.CharField(max_length=300, blank=True)
    logo_content_type = models.CharField(max_length=40, blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    legal_footer = models.TextField(blank=True)
    default_terms = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="branding_one_per_org"),
        ]

    def __str__(self) -> str:
        return f"Branding of organisation {self.organization_id}"

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_path)


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    VIEWED = "viewed", "Viewed"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded"


# The prospect can still accept or decline these.
OPEN_STATUSES = frozenset({ProposalStatus.SENT, ProposalStatus.VIEWED})
# Everything but a draft is frozen: its snapshot, terms and dates never change again.
FROZEN_STATUSES = frozenset(set(ProposalStatus) - {ProposalStatus.DRAFT})
FINAL_STATUSES = frozenset(
    {
        ProposalStatus.ACCEPTED,
        ProposalStatus.DECLINED,
        ProposalStatus.REVOKED,
        ProposalStatus.SUPERSEDED,
        ProposalStatus.EXPIRED,
    }
)


class Proposal(TenantModel):
    """A frozen snapshot of a finished analysis (or a tier comparison), with a content hash.

    `snapshot` holds everything the prospect sees: the assessment answers, the TCO inputs and
    their sources, the pricing-tier and assumption-set versions, the result, the branding,
    the engine version and seed, the title, validity and terms. `content_hash` is the SHA-256
    of its canonical JSON. A draft may still be edited (the hash follows); once sent nothing
    in it changes again. A revision is a new row of the same `series` with `version + 1`,
    `previous` pointing back and `changes` listing what differs in words.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    analysis = models.ForeignKey(
        "tco.Analysis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    series = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    snapshot = models.JSONField()
    content_hash = models.CharField(max_length=64)
    changes = models.JSONField(default=list, blank=True)
    # Copies of a few snapshot values, for lists and filters (never edited on their own).
    title = models.CharField(max_length=200)
    client_name = models.CharField(max_length=200)
    tier_name = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    savings_pv = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    monthly_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    payback_month = models.PositiveIntegerField(null=True, blank=True)
    favours_break_fix = models.BooleanField(default=False)
    valid_until = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # revoked, superseded, expired

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series", "version"], name="proposal_unique_version"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="proposal_status"),
            models.Index(fields=["organization", "client", "-created_at"], name="proposal_client"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.status})"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def display_status(self) -> str:
        """The status to show: an open proposal past its validity reads as expired already
        (the row itself changes on the next access through a link or a decision)."""
        from django.utils import timezone

        if self.status in OPEN_STATUSES and self.valid_until < timezone.localdate():
            return ProposalStatus.EXPIRED
        return self.status

    @property
    def display_status_label(self) -> str:
        return ProposalStatus(self.display_status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DocumentKind(models.TextChoices):
    OFFER = "offer", "Proposal"
    FINAL = "final", "Final version with acceptance"


class ProposalDocument(TenantModel):
    """A rendered PDF of a proposal, stored by content hash.

    `render_key` identifies what was rendered (the snapshot hash, the kind, the decision for the
    final version and the template version): asking again for the same key serves the stored
    file, and one key is rendered at most once however often it is asked for.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=DocumentKind.choices, default=DocumentKind.OFFER)
    render_key = models.CharField(max_length=64)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "proposal", "render_key"], name="document_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF {self.kind} of proposal {self.proposal_id}"

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None and bool(self.file_path)


class ShareLink(TenantModel):
    """A link for the prospect: an unguessable token (only its hash stored), expiry, PIN."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64)
    pin_hash = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "token_hash"], name="sharelink_unique_token"
            ),
        ]

    def __str__(self) -> str:
        return f"Share link {self.pk} of proposal {self.proposal_id}"

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)


class ViewKind(models.TextChoices):
    PAGE = "page", "Opened the page"
    PDF = "pdf", "Downloaded the PDF"
    CERTIFICATE = "certificate", "Opened the acceptance certificate"


class ProposalView(TenantModel):
    """One opening of a shared proposal: when, through which link, hashed IP, user agent."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="views")
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="views"
    )
    kind = models.CharField(max_length=20, choices=ViewKind.choices, default=ViewKind.PAGE)
    viewed_at = models.DateTimeField()
    ip_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "proposal", "-viewed_at"], name="view_timeline")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of proposal {self.proposal_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ProposalDecision(TenantModel):
    """The prospect's answer: at most one per proposal, recorded with what was agreed to.

    `snapshot_hash` is the proposal's content hash at the moment of the decision, and
    `terms_hash` the SHA-256 of the terms shown above the signature.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    full_name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    consent = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    ip_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    snapshot_hash = models.CharField(max_length=64)
    terms_hash = models.CharField(max_length=64)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "proposal"], name="decision_one_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} proposal {self.proposal_id}"
