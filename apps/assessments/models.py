"""Assessments (a client's answers, by section), their immutable versions, custom questions."""

from __future__ import annotations

from typing import Any

from django.db import models

from apps.tenancy.models import TenantModel


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class Assessment(TenantModel):
    """A discovery of one client at one date. `answers` is the live draft, by section.

    `answers`: {"company": {"users": 25, ...}, ..., "custom": {"<question id>": value}}, valid
    values only. `draft_values` keeps what was typed but did not validate (same shape, raw
    strings), so nothing typed is lost; it is shown back with its error until fixed.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(max_length=200)
    assessed_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    draft_values = models.JSONField(default=dict, blank=True)
    current_version = models.ForeignKey(
        "assessments.AssessmentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AssessmentVersion(TenantModel):
    """The answers of an assessment frozen at one moment; analyses and proposals refer to it.

    `custom_questions` keeps the wording of the custom questions answered, so a proposal's
    appendix shows the question as it was asked.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    custom_questions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["assessment_id", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "assessment", "number"],
                name="assessmentversion_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Assessment versions are immutable.")
        super().save(*args, **kwargs)


class QuestionKind(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    BOOL = "bool", "Yes / no"
    CHOICE = "choice", "Choice"


class CustomQuestion(TenantModel):
    """One of the MSP's own questions, shown in a section of every assessment."""

    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    section = models.CharField(max_length=40)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.label

    def definition(self) -> dict[str, Any]:
        """What a version keeps of the question."""
        return {
            "label": self.label,
            "kind": self.kind,
            "section": self.section,
            "help_text": self.help_text,
            "required": self.required,
            "choices": list(self.choices or []),
        }
