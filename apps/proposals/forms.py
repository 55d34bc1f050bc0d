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
