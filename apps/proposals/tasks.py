"""The PDF render job, on its own queue (CELERY_TASK_ROUTES sends "proposals.*" to `pdf`)."""

from __future__ import annotations

import time

from apps.jobs.tasks import JobRun, job_task

from .documents import pdf_fetcher
from .rendering import html_to_pdf
from .services import RENDER_TASK, proposal_pdf_prepare, proposal_pdf_store


@job_task(RENDER_TASK, soft_time_limit=240, time_limit=300)
def render_pdf(run: JobRun, *, document_id: int) -> None:
    """Render one proposal document and store it by content hash; safe to run twice.

    The layout runs outside any database transaction (it takes a second or more), between a
    short read and a short write that each open the tenant. A second delivery finds the
    document stored and stops; a delivery after a worker was killed mid-render starts over.
    """
    run.progress(5, "Preparing the document")
    with run.tenant():
        prepared = proposal_pdf_prepare(document_id=document_id)
    if prepared is None:
        return
    run.progress(20, "Laying out the pages")
    started = time.perf_counter()
    pdf = html_to_pdf(
        prepared.html,
        fetcher=pdf_fetcher(prepared.allowed_media),
        identifier=prepared.identifier,
    )
    seconds = time.perf_counter() - started
    run.progress(90, f"Storing the PDF ({pdf.pages} pages)")
    with run.tenant():
        proposal_pdf_store(document_id=document_id, pdf=pdf, seconds=seconds)
