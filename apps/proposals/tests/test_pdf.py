"""The PDF: rendered by the job from the same templates, read back with pypdf, stored once."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.core.files.storage import default_storage

from apps.jobs.models import Job, JobStatus
from apps.proposals.documents import pdf_fetcher
from apps.proposals.models import DocumentKind, Proposal, ProposalDocument
from apps.proposals.rendering import html_to_pdf
from apps.proposals.services import (
    branding_update,
    proposal_create,
    proposal_decide,
    proposal_pdf_prepare,
    proposal_pdf_request,
    share_link_create,
)
from apps.proposals.storage import read_bytes, store_by_hash
from apps.proposals.tasks import render_pdf
from apps.proposals.testing import make_analyses, make_proposal, make_shared_proposal
from apps.tco import presentation as fmt
from apps.tco.testing import complete_answers

HOSTILE = '<script>alert("x")</script><img src="file:///etc/passwd">'
HOSTILE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="120" height="40" viewBox="0 0 120 40">
<image href="file:///etc/passwd" width="10" height="10"/>
<image xlink:href="http://169.254.169.254/latest/meta-data/" width="10" height="10"/>
<rect width="120" height="40" fill="#0a5"/></svg>"""


def _run_job(world, job) -> None:
    """Run the job's task in-process with the message a worker would get."""
    render_pdf(job_id=job.id, organization_id=world.id, **job.params)


def _render(world, proposal, kind=DocumentKind.OFFER):
    """Ask for the PDF and run its job in-process, as a worker would."""
    with world.context():
        request = proposal_pdf_request(proposal=proposal, user=world.salesperson, kind=kind)
    assert request.job is not None
    _run_job(world, request.job)
    with world.context():
        document = ProposalDocument.objects.get(pk=request.document.pk)
        job = Job.objects.get(pk=request.job.pk)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert document.is_ready
    return document


def _text(content: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_says_what_the_stored_result_says(world, good_answers):
    proposal = make_proposal(world, answers=good_answers)
    document = _render(world, proposal)
    content = read_bytes(document.file_path)
    assert content.startswith(b"%PDF-")
    reader, text = _text(content)
    flat = _flat(text)
    result = proposal.snapshot["options"][0]["result"]
    savings = fmt.money(result["present_value"]["savings"], "USD", cents=True)
    fee = fmt.money(result["derived"]["monthly_recurring_fee"], "USD", cents=True)
    assert proposal.client_name in flat
    assert savings in flat, savings
    assert f"Month {result['payback_month']}" in flat
    assert fee in flat, fee
    assert 6 <= len(reader.pages) <= 20 and document.pages == len(reader.pages)
    assert "Page 2 of" in flat  # page numbers in the footer
    assert f"Proposal for {proposal.client_name}" in flat  # running header
    for heading in (
        "Executive summary",
        "Break/Fix or Managed Services, in your numbers",
        "What the assessment found",
        "Recommended plan: Standard",
        "Year by year",
        "Risk: the range of outcomes",
        "Where it breaks even",
        "Appendix: every assumption",
        "What happens after you accept",
        "Terms",
        "Acceptance",
    ):
        assert heading in flat, heading


def test_the_charts_are_vector_graphics(world):
    proposal = make_proposal(world)
    document = _render(world, proposal)
    reader, _ = _text(read_bytes(document.file_path))
    chart_pages = [p for p in reader.pages if "The numbers in pictures" in p.extract_text()]
    assert chart_pages
    page = chart_pages[0]
    stream = page.get_contents().get_data()
    drawing_ops = len(re.findall(rb"\s(?:re|l|c|m)\s", stream))
    assert drawing_ops > 100, drawing_ops
    xobjects = page["/Resources"].get("/XObject") or {}
    images = [
        name for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"
    ]
    assert images == []  # drawn as paths and text, not pasted in as pictures
    assert "Cumulative cost" in page.extract_text() or "Break/Fix" in page.extract_text()


def test_rendering_the_same_version_twice_stores_one_file(world):
    proposal = make_proposal(world)
    document = _render(world, proposal)
    folder = f"org/{world.id}/proposals"
    assert len(default_storage.listdir(folder)[1]) == 1
    with world.context():
        again = proposal_pdf_request(proposal=proposal, user=world.salesperson)
    assert again.job is None and again.document.pk == document.pk
    # A second delivery of the finished job is a no-op, and so is a stray re-run of the body.
    with world.context():
        _run_job(world, Job.objects.get(pk=document.job_id))
        assert proposal_pdf_prepare(document_id=document.pk) is None
        assert ProposalDocument.objects.filter(proposal=proposal).count() == 1
        assert Job.objects.filter(task_name="proposals.render_pdf").count() == 1
    assert len(default_storage.listdir(folder)[1]) == 1
    response = world.salesperson_client().get(f"/proposals/{proposal.id}/pdf/")
    assert response.status_code == 200 and response.content == read_bytes(document.file_path)


def test_user_text_is_text_in_the_pdf_and_nothing_smuggled_is_fetched(world):
    from apps.assessments.models import CustomQuestion
    from apps.clients.services import client_create

    with world.context():
        client = client_create(user=world.admin, name=f"Evil {HOSTILE} Ltd")
        question = CustomQuestion.objects.create(label="Anything else?", section="company")
        branding_update(
            user=world.admin, data={"legal_footer": f"Footer {HOSTILE}"}, logo=HOSTILE_SVG
        )
    answers = complete_answers()
    answers["custom"] = {str(question.id): f"Note {HOSTILE}"}
    analysis = make_analyses(world, answers=answers, client=client)[0]
    with world.context():
        proposal = proposal_create(analysis=analysis, user=world.salesperson, note=HOSTILE)
        document = proposal_pdf_request(proposal=proposal, user=world.salesperson).document
        prepared = proposal_pdf_prepare(document_id=document.pk)
    assert "<script>alert" not in prepared.html and '<img src="file:' not in prepared.html
    fetcher = pdf_fetcher(prepared.allowed_media)
    pdf = html_to_pdf(prepared.html, fetcher=fetcher)
    asked = fetcher.served + fetcher.refused
    assert not [u for u in asked if "169.254" in u or u.startswith("file:")]
    logo = proposal.snapshot["branding"]["logo"]["path"]
    assert f"https://breakeven.invalid/media/{logo}" in fetcher.served
    assert all(
        u.startswith(("https://breakeven.invalid/static/", "https://breakeven.invalid/media/"))
        for u in fetcher.served
    )
    _, text = _text(pdf.content)
    flat = _flat(text)
    assert 'Evil <script>alert("x")</script>' in flat
    assert "Note <script>" in flat


def test_an_unsanitised_svg_logo_still_cannot_reach_files_or_the_network(world):
    """Even if a hostile SVG got into storage, the fetcher refuses what it references."""
    with world.context():
        name = store_by_hash(
            organization_id=world.id, folder="branding", content=HOSTILE_SVG, extension="svg"
        )
        branding_update(user=world.admin, data={"company_name": "Alpha IT"})
        from apps.proposals.models import Branding

        Branding.objects.update(logo_path=name, logo_content_type="image/svg+xml")
    proposal = make_proposal(world)
    assert proposal.snapshot["branding"]["logo"]["path"] == name
    with world.context():
        document = proposal_pdf_request(proposal=proposal, user=world.salesperson).document
        prepared = proposal_pdf_prepare(document_id=document.pk)
    fetcher = pdf_fetcher(prepared.allowed_media)
    html_to_pdf(prepared.html, fetcher=fetcher)
    assert f"https://breakeven.invalid/media/{name}" in fetcher.served
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://169.254.169.254/latest/meta-data/" in fetcher.refused
    assert not [u for u in fetcher.served if "169.254" in u or u.startswith("file:")]


def test_the_final_version_carries_the_acceptance(world):
    proposal, link, _ = make_shared_proposal(world)
    with world.context():
        decision = proposal_decide(
            link=link,
            outcome="accepted",
            ip="203.0.113.9",
            user_agent="pytest",
            full_name="Ann Prospect",
            title="Owner",
            email="ann@harbour.example",
            consent=True,
        )
        final = ProposalDocument.objects.select_related("job").get(
            proposal=proposal, kind=DocumentKind.FINAL
        )
    _run_job(world, final.job)
    with world.context():
        final.refresh_from_db()
    _, text = _text(read_bytes(final.file_path))
    flat = _flat(text)
    assert "Accepted online by Ann Prospect, Owner (ann@harbour.example)" in flat
    assert decision.snapshot_hash[:16] in flat.replace(" ", "")
    download = world.salesperson_client().get(f"/proposals/{proposal.id}/pdf/?kind=final")
    assert download.status_code == 200


@pytest.mark.parametrize("status", ["sent", "accepted"])
def test_a_frozen_proposal_renders_from_its_snapshot_not_the_live_data(world, status):
    proposal = make_proposal(world)
    with world.context():
        share_link_create(proposal=proposal, user=world.salesperson, acknowledge_warning=True)
        Proposal.objects.filter(pk=proposal.pk).update(status=status)
        branding_update(user=world.admin, data={"company_name": "Renamed Later Ltd"})
        proposal.refresh_from_db()
        document = proposal_pdf_request(proposal=proposal, user=world.salesperson).document
        prepared = proposal_pdf_prepare(document_id=document.pk)
    assert "Renamed Later Ltd" not in prepared.html
    assert world.organization.name in prepared.html
