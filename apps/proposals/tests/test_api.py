"""The proposals, share-links and branding API: status codes, payloads, permissions."""

from __future__ import annotations

import uuid

from apps.jobs.models import Job
from apps.proposals.models import Proposal, ProposalDocument, ProposalStatus, ShareLink
from apps.proposals.rendering import RenderedPdf
from apps.proposals.services import proposal_pdf_store
from apps.proposals.testing import make_analyses, make_proposal


def _api_session(world, user=None):
    # Session authentication through the tenant middleware, like the browser.
    return world.client_for(user or world.salesperson)


def test_create_list_retrieve_and_patch_a_draft(world, good_answers):
    analysis = make_analyses(world, answers=good_answers)[0]
    client = _api_session(world)
    response = client.post(
        "/api/v1/proposals/",
        {"analysis": analysis.id, "title": "Managed IT", "note": "Hello"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["title"] == "Managed IT"
    assert created["snapshot"]["options"][0]["analysis_id"] == analysis.id
    listing = client.get("/api/v1/proposals/").json()
    assert listing["count"] == 1 and "snapshot" not in listing["results"][0]
    detail = client.get(f"/api/v1/proposals/{created['id']}/").json()
    assert detail["content_hash"] == created["content_hash"]
    patched = client.patch(
        f"/api/v1/proposals/{created['id']}/",
        {"title": "Managed IT, revised title"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["content_hash"] != created["content_hash"]


def test_create_validates_the_analysis(world, other_world):
    client = _api_session(world)
    response = client.post("/api/v1/proposals/", {}, content_type="application/json")
    assert response.status_code == 400 and "analysis" in response.json()
    foreign = make_analyses(other_world)[0]
    response = client.post(
        "/api/v1/proposals/", {"analysis": foreign.id}, content_type="application/json"
    )
    assert response.status_code == 400 and "analysis" in response.json()


def test_a_sent_or_accepted_proposal_cannot_be_edited_through_the_api(world):
    proposal = make_proposal(world)
    client = _api_session(world)
    sent = client.post(
        f"/api/v1/proposals/{proposal.id}/send/",
        {"acknowledge_warning": True},
        content_type="application/json",
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    for status in (ProposalStatus.SENT, ProposalStatus.ACCEPTED):
        with world.context():
            Proposal.objects.filter(pk=proposal.pk).update(status=status)
        response = client.patch(
            f"/api/v1/proposals/{proposal.id}/", {"title": "x"}, content_type="application/json"
        )
        assert response.status_code == 409
        assert (
            client.put(
                f"/api/v1/proposals/{proposal.id}/", {"title": "x"}, content_type="application/json"
            ).status_code
            == 409
        )
    revise = client.post(
        f"/api/v1/proposals/{proposal.id}/revise/", {}, content_type="application/json"
    )
    assert revise.status_code == 409
    with world.context():
        assert Proposal.objects.get(pk=proposal.pk).content_hash == proposal.content_hash


def test_send_without_acknowledging_the_warning_is_a_400(world):
    proposal = make_proposal(world)
    assert proposal.favours_break_fix
    response = _api_session(world).post(
        f"/api/v1/proposals/{proposal.id}/send/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "acknowledge_warning" in response.json()


def test_revise_through_the_api(world):
    proposal = make_proposal(world)
    response = _api_session(world).post(
        f"/api/v1/proposals/{proposal.id}/revise/", {}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 2 and response.json()["previous"] == proposal.id


def test_render_is_202_with_a_job_then_200_once_stored(world):
    proposal = make_proposal(world)
    client = _api_session(world)
    assert client.get(f"/api/v1/proposals/{proposal.id}/pdf/").status_code == 404
    first = client.post(f"/api/v1/proposals/{proposal.id}/render/", {})
    assert first.status_code == 202
    job = first.json()["job"]
    assert job["status"] == "queued" and job["kind"] == "proposal_pdf"
    again = client.post(f"/api/v1/proposals/{proposal.id}/render/", {})
    assert again.status_code == 202 and again.json()["job"]["id"] == job["id"]
    with world.context():
        assert Job.objects.filter(task_name="proposals.render_pdf").count() == 1
        document = ProposalDocument.objects.get(proposal=proposal)
        proposal_pdf_store(
            document_id=document.id, pdf=RenderedPdf(b"%PDF-1.7 test", 1), seconds=0.1
        )
    done = client.post(f"/api/v1/proposals/{proposal.id}/render/", {})
    assert done.status_code == 200 and done.json()["job"] is None
    download = client.get(f"/api/v1/proposals/{proposal.id}/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == b"%PDF-1.7 test"


def test_share_links_create_list_revoke(world, other_world):
    proposal = make_proposal(world)
    client = _api_session(world)
    refused = client.post(
        "/api/v1/share-links/", {"proposal": proposal.id}, content_type="application/json"
    )
    assert refused.status_code == 400  # the warning was not acknowledged
    created = client.post(
        "/api/v1/share-links/",
        {"proposal": proposal.id, "pin": "123456", "acknowledge_warning": True, "label": "CFO"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["url"].endswith(f"/p/{body['token']}/") and body["has_pin"] is True
    with world.context():
        link = ShareLink.objects.get()
        assert body["token"] not in link.token_hash and len(link.token_hash) == 64
    listed = client.get(f"/api/v1/share-links/?proposal={proposal.id}").json()
    assert listed["count"] == 1 and "token" not in listed["results"][0]
    revoked = client.post(f"/api/v1/share-links/{link.id}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    foreign = _api_session(other_world)
    assert foreign.get(f"/api/v1/share-links/{link.id}/").status_code == 404
    assert foreign.post(f"/api/v1/share-links/{link.id}/revoke/").status_code == 404
    assert foreign.get(f"/api/v1/proposals/{proposal.id}/").status_code == 404
    assert foreign.get("/api/v1/share-links/").json()["count"] == 0


def test_views_and_decision_endpoints(world):
    proposal = make_proposal(world)
    client = _api_session(world)
    assert client.get(f"/api/v1/proposals/{proposal.id}/views/").json() == []
    assert client.get(f"/api/v1/proposals/{proposal.id}/decision/").status_code == 404


def test_branding_api_reads_for_members_and_writes_for_admins(world):
    salesperson = _api_session(world)
    assert salesperson.get("/api/v1/branding/").status_code == 200
    denied = salesperson.patch(
        "/api/v1/branding/", {"primary_color": "#000000"}, content_type="application/json"
    )
    assert denied.status_code == 403
    admin = _api_session(world, world.admin)
    ok = admin.patch(
        "/api/v1/branding/",
        {"primary_color": "#123abc", "legal_footer": "Alpha IT Ltd"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["primary_color"] == "#123abc"
    bad = admin.patch(
        "/api/v1/branding/", {"primary_color": "blue"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "primary_color" in bad.json()


def test_list_endpoints_query_count_does_not_grow(world, django_assert_max_num_queries):
    proposal = make_proposal(world)
    client = _api_session(world)

    def grow(n: int) -> None:
        with world.context():
            rows = []
            for _ in range(n):
                copy = Proposal.objects.get(pk=proposal.pk)
                copy.pk = copy.id = None
                copy.series = uuid.uuid4()
                rows.append(copy)
            Proposal.objects.bulk_create(rows)
            ShareLink.objects.bulk_create(
                ShareLink(
                    organization_id=world.id,
                    proposal=proposal,
                    token_hash=uuid.uuid4().hex,
                    expires_at=proposal.created_at,
                )
                for _ in range(n)
            )

    grow(4)
    counts = {}
    for path in ("/api/v1/proposals/?page_size=200", "/api/v1/share-links/?page_size=200"):
        with django_assert_max_num_queries(12) as small:
            assert client.get(path).status_code == 200
        counts[path] = len(small.captured_queries)
    grow(195)
    for path, expected_count in (
        ("/api/v1/proposals/?page_size=200", 200),
        ("/api/v1/share-links/?page_size=200", 199),
    ):
        with django_assert_max_num_queries(12) as large:
            body = client.get(path).json()
        assert body["count"] == expected_count
        assert len(large.captured_queries) == counts[path]
