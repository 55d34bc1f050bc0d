from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm

from apps.tenancy.models import Role

from .throttling import client_ip, login_failed, login_is_blocked, login_succeeded


class SignupForm(forms.Form):
    organization_name = forms.CharField(label="Company (your MSP)", max_length=200)
    full_name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Work e-mail")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, min_length=10)
    password_confirm = forms.CharField(label="Password again", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords differ.")
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)

    def __init__(self, *args: Any, request=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email, password = data.get("email"), data.get("password")
        if not email or not password:
            return data
        ip = client_ip(self.request)
        if login_is_blocked(email=email, ip=ip):
            raise forms.ValidationError(
                "Too many failed sign-ins. Wait 15 minutes or reset your password.",
                code="throttled",
            )
        self.user = authenticate(self.request, email=email, password=password)
        if self.user is None:
            login_failed(email=email, ip=ip)
            raise forms.ValidationError("E-mail or password is incorrect.", code="invalid_login")
        login_succeeded(email=email, ip=ip)
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.SALESPERSON)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form; our users have no `username`, the e-mail is the identifier."""
