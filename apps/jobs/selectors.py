from django.db.models import QuerySet

from .models import Job


def job_list() -> QuerySet[Job]:
    return Job.objects.order_by("-created_at", "-id")


def job_get(*, job_id: int) -> Job | None:
    return Job.objects.filter(id=job_id).first()
