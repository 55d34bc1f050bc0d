"""Sign-up, sign-in, organisation switching, members and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError
from apps.tenancy.context import tenant_context
from apps.tenancy.middleware import SESSION_KEY
from apps.tenancy.models import Membership
from apps.tenancy.permissions import admin_required
from apps.tenancy.selectors import (
    invitation_by_token,
    invitation_list_pending,
    membership_list,
    user_organizations,
)
from apps.tenancy.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from apps.tenancy.tokens import token_parse

from .forms import InvitationForm, LoginForm, RoleForm, SignupForm
from .services import signup


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, but an invalid or used link answers 404 rather than 200."""

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)


def _apply_errors(form, exc: ApplicationError) -> None:
    if exc.extra:
        for field, errors in exc.extra.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc.message)


def signup_view(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, organization = signup(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                organization_name=data["organization_name"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            login(request, user, backend="apps.accounts.backends.EmailBackend")
            request.session[SESSION_KEY] = organization.id
            messages.success(request, f"Welcome to Breakeven, {user.full_name}.")
            return redirect("core:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, request=request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="apps.accounts.backends.EmailBackend")
        choices = user_organizations(user_id=form.user.id)
        if choices:
            request.session[SESSION_KEY] = choices[0].id
        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            return redirect(next_url)
        return redirect("core:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def organization_switch(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404("No such organisation.") from None
    if wanted not in {c.id for c in user_organizations(user_id=request.user.id)}:
        raise Http404("No such organisation.")
    request.session[SESSION_KEY] = wanted
    return redirect("core:dashboard")


@admin_required
def members(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    invite_link = None
    if request.method == "POST" and form.is_valid():
        try:
            _, token = invitation_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            invite_link = request.build_absolute_uri(
                reverse("accounts:invitation_accept", args=[token])
            )
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            form = InvitationForm()
    context = {
        "form": form,
        "members": membership_list(),
        "invitations": invitation_list_pending(),
        "invite_link": invite_link,
        "role_choices": RoleForm.base_fields["role"].choices,
    }
    return render(request, "accounts/members.html", context, status=400 if form.errors else 200)


@admin_required
@require_POST
def member_update(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = Membership.objects.filter(id=membership_id).first()
    if membership is None:
        raise Http404
    form = RoleForm(request.POST)
    try:
        if request.POST.get("action") == "remove":
            membership_remove(membership=membership)
        elif form.is_valid():
            membership_set_role(membership=membership, role=form.cleaned_data["role"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:members")


@admin_required
@require_POST
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_list_pending().filter(id=invitation_id).first()
    if invitation is None:
        raise Http404
    invitation_revoke(invitation=invitation)
    return redirect("accounts:members")


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    parsed = token_parse(token)
    if parsed is None:
        raise Http404("This invitation link is not valid.")
    if not request.user.is_authenticated:
        login_url = reverse("accounts:login") + f"?next={request.path}"
        signup_url = reverse("accounts:signup")
        return render(
            request,
            "accounts/invitation_login.html",
            {"login_url": login_url, "signup_url": signup_url},
        )
    with tenant_context(parsed.organization_id):
        invitation = invitation_by_token(token=token)
        if invitation is None:
            raise Http404("This invitation link is not valid.")
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=request.user)
            except ApplicationError as exc:
                return render(
                    request, "accounts/invitation.html", {"error": exc.message}, status=410
                )
            request.session[SESSION_KEY] = invitation.organization_id
            return redirect("core:dashboard")
        organization = invitation.organization
        return render(
            request, "accounts/invitation.html", {"invitation": invitation, "org": organization}
        )
