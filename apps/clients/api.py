"""`/api/v1/clients/` and `/api/v1/contacts/`: thin views over the services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import found_or_404, int_or_none
from apps.core.errors import ApplicationError

from .importing import MAX_BYTES, client_import_commit, client_import_preview, decode_upload
from .models import Client, ClientStatus, Contact
from .selectors import client_get, client_list, contact_get, contact_list
from .services import (
    client_create,
    client_delete,
    client_update,
    contact_create,
    contact_delete,
    contact_update,
)


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "client", "name", "role", "email", "phone", "created_at", "updated_at"]
        read_only_fields = fields


class ContactInputSerializer(serializers.Serializer):
    """Types only; the service checks lengths, required fields and e-mail format."""

    client = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    role = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)


class NestedContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone"]
        read_only_fields = fields


class ClientSerializer(serializers.ModelSerializer):
    contacts = NestedContactSerializer(many=True, read_only=True)
    contact_count = serializers.IntegerField(read_only=True)
    assessment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "industry",
            "website",
            "address",
            "notes",
            "status",
            "owner",
            "archived_at",
            "contacts",
            "contact_count",
            "assessment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClientInputSerializer(serializers.Serializer):
    """Types only; the service checks lengths, required fields, URLs and the owner."""

    name = serializers.CharField(required=False, allow_blank=True)
    industry = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ClientStatus.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)


class ClientImportSerializer(serializers.Serializer):
    csv = serializers.CharField(required=False, allow_blank=True, help_text="The CSV text.")
    file = serializers.FileField(required=False, help_text="Or the CSV file (multipart).")
    commit = serializers.BooleanField(
        default=False, help_text="false: preview only; true: import all rows or none."
    )


def _bool_param(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Search name, industry, contacts"),
        OpenApiParameter("status", OpenApiTypes.STR, enum=ClientStatus.values),
        OpenApiParameter("owner", OpenApiTypes.INT),
        OpenApiParameter("archived", OpenApiTypes.BOOL, description="Archived clients instead"),
    ]
)
class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Client accounts. DELETE removes a client nobody refers to and archives it otherwise."""

    serializer_class = ClientSerializer
    queryset = Client.objects.none()  # the route probe reads the model from here

    def get_queryset(self):
        params = self.request.query_params
        owner = params.get("owner")
        queryset = client_list(
            q=params.get("q") or None,
            owner_id=int_or_none(owner),
            status=params.get("status") or None,
            archived=_bool_param(params.get("archived")),
        )
        return queryset.prefetch_related(Prefetch("contacts", queryset=Contact.objects.all()))

    def get_object(self) -> Client:
        return found_or_404(lambda i: client_get(client_id=i), self.kwargs.get("pk"))

    @extend_schema(responses=ClientSerializer)
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self._output(self.get_object().id))

    def _output(self, client_id: int) -> dict:
        for archived in (False, True):
            client = (
                client_list(archived=archived)
                .prefetch_related("contacts")
                .filter(id=client_id)
                .first()
            )
            if client is not None:
                return ClientSerializer(client).data
        raise Http404

    @extend_schema(request=ClientInputSerializer, responses={201: ClientSerializer})
    def create(self, request: Request) -> Response:
        serializer = ClientInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = client_create(user=request.user, **serializer.validated_data)
        return Response(self._output(client.id), status=status.HTTP_201_CREATED)

    @extend_schema(request=ClientInputSerializer, responses=ClientSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        serializer = ClientInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if request.method == "PUT":
            data.setdefault("name", "")
        client_update(client=client, user=request.user, **data)
        return Response(self._output(client.id))

    @extend_schema(request=ClientInputSerializer, responses=ClientSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    @extend_schema(responses={204: None, 200: ClientSerializer})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        client_id = client.id
        if client_delete(client=client, user=request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self._output(client_id), status=status.HTTP_200_OK)

    @extend_schema(request=ClientImportSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def import_csv(self, request: Request) -> Response:
        """Preview a CSV of clients and contacts (per-row errors), or import it all-or-nothing."""
        serializer = ClientImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise ApplicationError("Too large.", extra={"file": ["At most 2 MB."]})
            text = decode_upload(upload.read())
        else:
            text = data.get("csv") or ""
        if not text.strip():
            raise ApplicationError("No CSV.", extra={"csv": ["Give the CSV text or a file."]})
        if data["commit"]:
            preview = client_import_commit(data=text, user=request.user)
            return Response(preview.as_dict(), status=status.HTTP_201_CREATED)
        preview = client_import_preview(text)
        return Response(preview.as_dict())


@extend_schema(parameters=[OpenApiParameter("client", OpenApiTypes.INT)])
class ContactViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Contacts of clients; filter with `?client=<id>`."""

    serializer_class = ContactSerializer
    queryset = Contact.objects.none()

    def get_queryset(self):
        client = self.request.query_params.get("client")
        return contact_list(client_id=int_or_none(client))

    def get_object(self) -> Contact:
        return found_or_404(lambda i: contact_get(contact_id=i), self.kwargs.get("pk"))

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(ContactSerializer(self.get_object()).data)

    @extend_schema(request=ContactInputSerializer, responses={201: ContactSerializer})
    def create(self, request: Request) -> Response:
        serializer = ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client_id = data.pop("client", None)
        client = client_get(client_id=client_id) if client_id is not None else None
        if client is None:
            raise ApplicationError("Choose a client.", extra={"client": ["Choose a client."]})
        contact = contact_create(client=client, user=request.user, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactInputSerializer, responses=ContactSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        serializer = ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "client" in data and data.pop("client") != contact.client_id:
            raise ApplicationError(
                "A contact stays with its client.", extra={"client": ["Cannot be changed."]}
            )
        contact = contact_update(contact=contact, user=request.user, **data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=ContactInputSerializer, responses=ContactSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        contact_delete(contact=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
