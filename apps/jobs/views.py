from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import job_get


@login_required
def job_progress_partial(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress bar, polled by HTMX; when the job is done the page reloads to show it."""
    if getattr(request, "membership", None) is None:
        raise Http404
    job = job_get(job_id=job_id)
    if job is None:
        raise Http404("No such job.")
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request") and request.GET.get("refresh"):
        response["HX-Refresh"] = "true"
    return response
