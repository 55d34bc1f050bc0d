"""Forms of the custom-question admin page (the assessment itself uses schema-driven inputs)."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.core.errors import ApplicationError

from . import schema
from .models import CustomQuestion, QuestionKind


class CustomQuestionForm(forms.Form):
    label = forms.CharField(max_length=300, label="Question")
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Answer type")
    section = forms.ChoiceField(choices=[(s.key, s.title) for s in schema.SECTIONS])
    help_text = forms.CharField(max_length=500, required=False, label="Help text")
    required = forms.BooleanField(required=False, label="Required to complete the assessment")
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Options",
        help_text="For a choice question: one option per line.",
    )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [c.strip() for c in data.get("choices", "").splitlines() if c.strip()]
        return data

    def apply(self, exc: ApplicationError) -> None:
        if not exc.extra:
            self.add_error(None, exc.message)
        for field, messages in exc.extra.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    @staticmethod
    def initial_for(question: CustomQuestion) -> dict[str, Any]:
        return {
            "label": question.label,
            "kind": question.kind,
            "section": question.section,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(question.choices or []),
        }
