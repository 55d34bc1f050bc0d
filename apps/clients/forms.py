"""Browser forms for clients and contacts; the services do the checking that matters."""

from __future__ import annotations

from django import forms

from apps.core.errors import ApplicationError

from .models import ClientStatus


def apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's field messages on the form."""
    if not exc.extra:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.extra.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ClientForm(forms.Form):
    name = forms.CharField(max_length=200)
    industry = forms.CharField(max_length=100, required=False)
    website = forms.CharField(max_length=300, required=False, help_text="example.com")
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(choices=ClientStatus.choices, initial=ClientStatus.PROSPECT)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, owner_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody"), *owner_choices]


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=100, required=False)
    email = forms.CharField(max_length=254, required=False, label="E-mail")
    phone = forms.CharField(max_length=50, required=False)


class ClientImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A PSA export with columns such as Company, Contact, E-mail, Phone.",
    )
