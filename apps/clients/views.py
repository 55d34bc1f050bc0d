"""Client pages: list with search and filters, detail, edit, contacts, CSV import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.views import View

from apps.assessments.selectors import assessment_list_for_client
from apps.core.errors import ApplicationError
from apps.tenancy.permissions import MemberRequiredMixin

from .forms import ClientForm, ClientImportForm, ContactForm, apply_errors
from .importing import MAX_BYTES, client_import_commit, client_import_preview, decode_upload
from .models import Client, ClientStatus, Contact
from .selectors import client_get, client_list, client_owner_choices, contact_get
from .services import (
    client_create,
    client_delete,
    client_restore,
    client_update,
    contact_create,
    contact_delete,
    contact_update,
)

PAGE_SIZE = 25

# Sections other apps add to the client page (analyses, proposals). A template that does not
# exist (yet) is skipped, so the page never depends on an app that is not built.
RELATED_TEMPLATES = ["clients/_related_analyses.html", "clients/_related_proposals.html"]


def _client_or_404(client_id: int) -> Client:
    client = client_get(client_id=client_id)
    if client is None:
        raise Http404("No such client.")
    return client


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class ClientListView(MemberRequiredMixin, View):
    """Clients with search (name, industry, contact), owner and status filters, pages of 25."""

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        owner = request.GET.get("owner", "")
        owner_id = request.user.id if owner == "me" else _int_or_none(owner)
        status = request.GET.get("status", "")
        if status not in ClientStatus.values:
            status = ""
        archived = request.GET.get("archived") == "1"
        queryset = client_list(q=q, owner_id=owner_id, status=status or None, archived=archived)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "clients/client_list.html",
            {
                "page": page,
                "clients": page.object_list,
                "q": q,
                "owner": owner,
                "status": status,
                "archived": archived,
                "status_choices": ClientStatus.choices,
                "owner_choices": client_owner_choices(),
                "query_string": params.urlencode(),
            },
        )


class ClientCreateView(MemberRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ClientForm(owner_choices=client_owner_choices(), initial={"owner": request.user.id})
        return render(request, "clients/client_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ClientForm(request.POST, owner_choices=client_owner_choices())
        if form.is_valid():
            try:
                client = client_create(user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Client {client.name} created.")
                return redirect("clients:detail", client_id=client.id)
        return render(request, "clients/client_form.html", {"form": form}, status=400)


class ClientDetailView(MemberRequiredMixin, View):
    def get(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        related = []
        for name in RELATED_TEMPLATES:
            try:
                get_template(name)
            except TemplateDoesNotExist:
                continue
            related.append(name)
        return render(
            request,
            "clients/client_detail.html",
            {
                "client": client,
                "contacts": list(client.contacts.all()),
                "assessments": list(assessment_list_for_client(client_id=client.id)),
                "contact_form": ContactForm(),
                "related_templates": related,
            },
        )


class ClientEditView(MemberRequiredMixin, View):
    def _initial(self, client: Client) -> dict[str, Any]:
        return {
            "name": client.name,
            "industry": client.industry,
            "website": client.website,
            "address": client.address,
            "status": client.status,
            "owner": client.owner_id,
            "notes": client.notes,
        }

    def get(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        form = ClientForm(owner_choices=client_owner_choices(), initial=self._initial(client))
        return render(request, "clients/client_form.html", {"form": form, "client": client})

    def post(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        form = ClientForm(request.POST, owner_choices=client_owner_choices())
        if form.is_valid():
            try:
                client_update(client=client, user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Client saved.")
                return redirect("clients:detail", client_id=client.id)
        return render(
            request, "clients/client_form.html", {"form": form, "client": client}, status=400
        )


class ClientDeleteView(MemberRequiredMixin, View):
    """Delete a client nobody refers to; otherwise archive it (POST)."""

    def post(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        name = client.name
        if client_delete(client=client, user=request.user):
            messages.success(request, f"Client {name} deleted.")
            return redirect("clients:list")
        messages.success(request, f"Client {name} archived: its assessments are kept.")
        return redirect("clients:detail", client_id=client_id)


class ClientRestoreView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        client_restore(client=client, user=request.user)
        messages.success(request, f"Client {client.name} restored.")
        return redirect("clients:detail", client_id=client_id)


class ContactCreateView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, client_id: int) -> HttpResponse:
        client = _client_or_404(client_id)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact_create(client=client, user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Contact added.")
                return redirect("clients:detail", client_id=client.id)
        return render(
            request,
            "clients/contact_form.html",
            {"form": form, "client": client},
            status=400,
        )


def _contact_or_404(client_id: int, contact_id: int) -> tuple[Client, Contact]:
    client = _client_or_404(client_id)
    contact = contact_get(contact_id=contact_id, client_id=client.id)
    if contact is None:
        raise Http404("No such contact.")
    return client, contact


class ContactEditView(MemberRequiredMixin, View):
    def get(self, request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
        client, contact = _contact_or_404(client_id, contact_id)
        form = ContactForm(
            initial={
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            }
        )
        context = {"form": form, "client": client, "contact": contact}
        return render(request, "clients/contact_form.html", context)

    def post(self, request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
        client, contact = _contact_or_404(client_id, contact_id)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact_update(contact=contact, user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Contact saved.")
                return redirect("clients:detail", client_id=client.id)
        context = {"form": form, "client": client, "contact": contact}
        return render(request, "clients/contact_form.html", context, status=400)


class ContactDeleteView(MemberRequiredMixin, View):
    def post(self, request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
        client, contact = _contact_or_404(client_id, contact_id)
        contact_delete(contact=contact, user=request.user)
        messages.success(request, "Contact removed.")
        return redirect("clients:detail", client_id=client.id)


class ClientImportView(MemberRequiredMixin, View):
    """Upload a CSV → preview with per-row errors → confirm: the whole file, or nothing."""

    template = "clients/client_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": ClientImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "commit":
            text = request.POST.get("csv_text", "")
            try:
                preview = client_import_commit(data=text, user=request.user)
            except ApplicationError as exc:
                preview = client_import_preview(text)
                messages.error(request, exc.message)
                context = {"form": ClientImportForm(), "preview": preview, "csv_text": text}
                return render(request, self.template, context, status=400)
            messages.success(
                request,
                f"Imported {preview.new_clients} new clients and {preview.contacts} contacts.",
            )
            return redirect(reverse("clients:list"))
        form = ClientImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", "The file is larger than 2 MB.")
            return render(request, self.template, {"form": form}, status=400)
        try:
            csv_text = decode_upload(upload.read())
        except ApplicationError:
            form.add_error("file", "Upload a CSV file (text).")
            return render(request, self.template, {"form": form}, status=400)
        preview = client_import_preview(csv_text)
        context = {"form": ClientImportForm(), "preview": preview, "csv_text": csv_text}
        return render(request, self.template, context, status=200 if preview.ok else 400)
