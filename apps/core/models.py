"""Abstract base models shared by every app."""

from django.db import models


class BaseModel(models.Model):
    """Creation and update timestamps, and a deterministic default ordering."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
