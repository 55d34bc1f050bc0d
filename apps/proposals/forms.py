"""Forms of the salesperson and admin pages, and of the prospect's public page."""

from __future__ import annotations

from django import forms

from .branding import color_is_valid
from .logos import MAX_UPLOAD_BYTES


class BrandingForm(forms.Form):
    company_name = forms.CharField(
        label="Company name on proposals",
        max_length=200,
        required=False,
        help_text="Leave empty to use the organisation's name.",
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text=f"PNG, JPEG or SVG, at most {MAX_UPLOAD_BYTES // 1024} KB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    primary_color = forms.CharField(
        label="Primary colour",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Used for headings, the cover band and buttons.",
    )
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label="Phone", max_length=50, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    legal_footer = forms.CharField(
        label="Legal footer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Printed at the foot of every PDF page (company number, registered office…).",
    )
    default_terms = forms.CharField(
        label="Default terms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Copied into each new proposal; the prospect reads them before accepting.",
    )

    def clean_primary_color(self):
        value = self.cleaned_data.get("primary_color", "").strip()
        if not color_is_valid(value):
            raise forms.ValidationError("Use a colour like #1f5fbf.")
        return value.lower()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The logo must be at most {MAX_UPLOAD_BYTES // 1024} KB.")
        return logo


class ProposalForm(forms.Form):
    """The editable parts of a draft (and the start of a new proposal)."""

    title = forms.CharField(label="Title", max_length=200, required=False)
    valid_until = forms.DateField(
        label="Valid until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The prospect can accept until this date (30 days from today if empty).",
    )
    note = forms.CharField(
        label="Cover note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A short personal message on the cover (optional).",
    )
    terms = forms.CharField(
        label="Terms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shown to the prospect before they accept. Empty: your organisation's terms.",
    )


class ProposalCreateForm(ProposalForm):
    analysis = forms.IntegerField(widget=forms.HiddenInput)
    compare = forms.BooleanField(
        label="Include the other tiers analysed together (tier comparison)",
        required=False,
        initial=True,
    )


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Label", max_length=100, required=False, help_text="Who it is for, e.g. “CFO”."
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)", min_value=1, max_value=180, initial=30
    )
    pin = forms.CharField(
        label="PIN (optional)",
        required=False,
        min_length=4,
        max_length=20,
        help_text="Give it to the prospect separately, e.g. by phone.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    acknowledge_warning = forms.BooleanField(
        label="I have read the warning: the numbers favour Break/Fix, and the proposal says so.",
        required=False,
    )


class PinForm(forms.Form):
    pin = forms.CharField(
        label="PIN", max_length=20, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class AcceptForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    title = forms.CharField(label="Job title", max_length=200, required=False)
    email = forms.EmailField(label="E-mail")
    consent = forms.BooleanField(
        label="I have read the terms above and accept this proposal on behalf of my company."
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
