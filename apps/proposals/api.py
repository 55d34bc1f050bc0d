"""`/api/v1/proposals/`, `/api/v1/share-links/` and `/api/v1/branding/`: thin views over services.

The prospect's endpoints are not here: they live under /p/<token>/api/ (public_views), behind
the share-link token instead of an account.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs.api import JobSerializer
from apps.tenancy.permissions import IsAdminForWrites

from .models import (
    Branding,
    DocumentKind,
    Proposal,
    ProposalDecision,
    ProposalDocument,
    ProposalStatus,
    ProposalView,
    ShareLink,
)
from .selectors import (
    branding_get,
    proposal_decision,
    proposal_document_ready,
    proposal_get,
    proposal_list,
    proposal_view_list,
    share_link_get,
    share_link_list_all,
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
from .views import pdf_filename, pdf_response


class Conflict(APIException):
    status_code = 409
    default_detail = "The proposal cannot be changed in its current state."
    default_code = "conflict"


def _analysis(analysis_id):
    from apps.tco.selectors import analysis_get

    if analysis_id in (None, ""):
        return None
    analysis = analysis_get(int(analysis_id))
    if analysis is None:
        raise serializers.ValidationError({"analysis": ["No such analysis."]})
    return analysis


# --- serializers ----------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalDocument
        fields = ["id", "kind", "sha256", "size", "pages", "rendered_at", "render_seconds"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalDecision
        fields = [
            "outcome",
            "full_name",
            "title",
            "email",
            "consent",
            "reason",
            "decided_at",
            "snapshot_hash",
            "terms_hash",
            "ip_hash",
            "user_agent",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = [
            "id",
            "series",
            "version",
            "previous",
            "client",
            "analysis",
            "status",
            "title",
            "client_name",
            "tier_name",
            "currency",
            "savings_pv",
            "monthly_fee",
            "payback_month",
            "favours_break_fix",
            "valid_until",
            "content_hash",
            "changes",
            "sent_at",
            "first_viewed_at",
            "decided_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProposalDetailSerializer(ProposalSerializer):
    snapshot = serializers.JSONField(read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    analysis = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    valid_until = serializers.DateField(required=False, allow_null=True)
    terms = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    compare = serializers.BooleanField(required=False, default=True)


class ProposalUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    valid_until = serializers.DateField(required=False)
    terms = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class ProposalReviseSerializer(ProposalUpdateSerializer):
    analysis = serializers.IntegerField(required=False, allow_null=True)


class SendSerializer(serializers.Serializer):
    acknowledge_warning = serializers.BooleanField(required=False, default=False)


class RenderSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OFFER)


class ViewEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalView
        fields = ["id", "kind", "viewed_at", "share_link", "ip_hash", "user_agent"]
        read_only_fields = fields


class ShareLinkSerializer(serializers.ModelSerializer):
    has_pin = serializers.BooleanField(read_only=True)
    state = serializers.SerializerMethodField()
    view_count = serializers.IntegerField(read_only=True, default=0)
    last_viewed_at = serializers.DateTimeField(read_only=True, default=None)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "proposal",
            "label",
            "has_pin",
            "expires_at",
            "revoked_at",
            "view_count",
            "last_viewed_at",
            "state",
            "created_at",
        ]
        read_only_fields = fields

    def get_state(self, link: ShareLink) -> str:
        from django.utils import timezone

        if link.revoked_at:
            return "revoked"
        return "expired" if link.expires_at <= timezone.now() else "active"


class ShareLinkCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    label = serializers.CharField(required=False, allow_blank=True, max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    expires_in_days = serializers.IntegerField(required=False, allow_null=True)
    pin = serializers.CharField(required=False, allow_blank=True, max_length=20)
    acknowledge_warning = serializers.BooleanField(required=False, default=False)


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.CharField(read_only=True)
    token = serializers.CharField(read_only=True)

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url", "token"]
        read_only_fields = fields


# --- proposals ------------------------------------------------------------------------------


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Proposals: frozen snapshots of finished analyses, their PDFs, views and decisions."""

    serializer_class = ProposalSerializer
    queryset = Proposal.objects.none()  # the model, for the schema and the route probe

    def get_queryset(self):
        params = self.request.query_params
        status_filter = params.get("status")
        if status_filter and status_filter not in ProposalStatus.values:
            raise serializers.ValidationError({"status": ["Unknown status."]})
        client = params.get("client")
        try:
            client_id = int(client) if client else None
        except ValueError as exc:
            raise serializers.ValidationError({"client": ["Must be an id."]}) from exc
        return proposal_list(status=status_filter, client_id=client_id)

    def get_object(self) -> Proposal:
        try:
            proposal = proposal_get(proposal_id=int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            proposal = None
        if proposal is None:
            raise Http404
        return proposal

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProposalDetailSerializer
        return ProposalSerializer

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalDetailSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(ProposalCreateSerializer, request.data)
        analysis = _analysis(data.pop("analysis"))
        proposal = proposal_create(analysis=analysis, user=request.user, **data)
        return Response(ProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposalUpdateSerializer, responses={200: ProposalDetailSerializer})
    def partial_update(self, request: Request, pk=None) -> Response:
        proposal = self.get_object()
        data = _valid(ProposalUpdateSerializer, request.data)
        try:
            proposal = proposal_update(proposal=proposal, **data)
        except ProposalLockedError as exc:
            raise Conflict(exc.message) from exc
        return Response(ProposalDetailSerializer(proposal).data)

    def update(self, request: Request, pk=None) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(request=ProposalReviseSerializer, responses={201: ProposalDetailSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk=None) -> Response:
        proposal = self.get_object()
        data = _valid(ProposalReviseSerializer, request.data)
        analysis = _analysis(data.pop("analysis", None))
        try:
            revision = proposal_revise(
                proposal=proposal, user=request.user, analysis=analysis, **data
            )
        except ProposalLockedError as exc:
            raise Conflict(exc.message) from exc
        return Response(ProposalDetailSerializer(revision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SendSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk=None) -> Response:
        proposal = self.get_object()
        data = _valid(SendSerializer, request.data)
        proposal = proposal_send(proposal=proposal, user=request.user, **data)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=None, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk=None) -> Response:
        try:
            proposal = proposal_revoke(proposal=self.get_object(), user=request.user)
        except ProposalLockedError as exc:
            raise Conflict(exc.message) from exc
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        request=RenderSerializer, responses={200: DocumentSerializer, 202: JobSerializer}
    )
    @action(detail=True, methods=["post"])
    def render(self, request: Request, pk=None) -> Response:
        """202 and the job while the PDF renders; 200 and the document once it is stored."""
        proposal = self.get_object()
        data = _valid(RenderSerializer, request.data)
        pdf = proposal_pdf_request(proposal=proposal, user=request.user, kind=data["kind"])
        if pdf.job is None:
            return Response({"job": None, "document": DocumentSerializer(pdf.document).data})
        return Response(
            {"job": JobSerializer(pdf.job).data, "document": DocumentSerializer(pdf.document).data},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk=None):
        proposal = self.get_object()
        kind = request.query_params.get("kind") or DocumentKind.OFFER
        if kind not in DocumentKind.values:
            raise serializers.ValidationError({"kind": ["offer or final."]})
        document = proposal_document_ready(proposal=proposal, kind=kind)
        if document is None:
            raise Http404("The PDF has not been rendered yet; POST to render first.")
        return pdf_response(document, filename=pdf_filename(proposal, kind))

    @extend_schema(responses={200: ViewEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def views(self, request: Request, pk=None) -> Response:
        views = proposal_view_list(proposal=self.get_object())
        return Response(ViewEventSerializer(views, many=True).data)

    @extend_schema(responses={200: DecisionSerializer})
    @action(detail=True, methods=["get"])
    def decision(self, request: Request, pk=None) -> Response:
        decision = proposal_decision(proposal=self.get_object())
        if decision is None:
            raise Http404("No decision yet.")
        return Response(DecisionSerializer(decision).data)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- share links ----------------------------------------------------------------------------


class ShareLinkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Links for prospects. The token is returned once, on creation; only its hash is kept."""

    serializer_class = ShareLinkSerializer
    queryset = ShareLink.objects.none()  # the model, for the schema and the route probe

    def get_queryset(self):
        proposal = self.request.query_params.get("proposal")
        try:
            proposal_id = int(proposal) if proposal else None
        except ValueError as exc:
            raise serializers.ValidationError({"proposal": ["Must be an id."]}) from exc
        return share_link_list_all(proposal_id=proposal_id)

    def get_object(self) -> ShareLink:
        try:
            link = share_link_get(share_link_id=int(self.kwargs["pk"]))
        except (TypeError, ValueError):
            link = None
        if link is None:
            raise Http404
        return link

    @extend_schema(request=ShareLinkCreateSerializer, responses={201: ShareLinkCreatedSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(ShareLinkCreateSerializer, request.data)
        proposal = proposal_get(proposal_id=data.pop("proposal"))
        if proposal is None:
            raise serializers.ValidationError({"proposal": ["No such proposal."]})
        link, token = share_link_create(proposal=proposal, user=request.user, **data)
        body = ShareLinkSerializer(link).data
        body.update(url=share_link_url(token), token=token)
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: ShareLinkSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk=None) -> Response:
        link = share_link_revoke(link=self.get_object(), user=request.user)
        return Response(ShareLinkSerializer(link).data)


# --- branding -------------------------------------------------------------------------------


class BrandingSerializer(serializers.ModelSerializer):
    has_logo = serializers.BooleanField(read_only=True)

    class Meta:
        model = Branding
        fields = [
            "company_name",
            "primary_color",
            "address",
            "phone",
            "email",
            "website",
            "legal_footer",
            "default_terms",
            "has_logo",
            "logo_content_type",
            "logo_sha256",
            "updated_at",
        ]
        read_only_fields = ["has_logo", "logo_content_type", "logo_sha256", "updated_at"]
        extra_kwargs = {name: {"required": False} for name in fields}


class BrandingApi(APIView):
    """The organisation's branding. Members read; admins change it (logo as multipart)."""

    permission_classes = [IsAdminForWrites]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = BrandingSerializer

    @extend_schema(responses={200: BrandingSerializer})
    def get(self, request: Request) -> Response:
        return Response(BrandingSerializer(branding_get()).data)

    @extend_schema(request=BrandingSerializer, responses={200: BrandingSerializer})
    def patch(self, request: Request) -> Response:
        fields = {k: request.data[k] for k in BrandingSerializer.Meta.fields if k in request.data}
        upload = request.FILES.get("logo")
        from .logos import MAX_UPLOAD_BYTES

        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                {"logo": [f"The logo must be at most {MAX_UPLOAD_BYTES // 1024} KB."]}
            )
        branding = branding_update(
            user=request.user,
            data=fields,
            logo=upload.read() if upload is not None else None,
            remove_logo=str(request.data.get("remove_logo", "")).lower() in ("1", "true", "on"),
        )
        return Response(BrandingSerializer(branding).data)

    def put(self, request: Request) -> Response:
        return self.patch(request)
