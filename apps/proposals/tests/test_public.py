"""The prospect's link: 404/410 for anything but a live link, PIN, views, accept and decline."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from apps.proposals.models import (
    DocumentKind,
    Proposal,
    ProposalDecision,
    ProposalDocument,
    ProposalStatus,
    ProposalView,
    ShareLink,
)
from apps.proposals.selectors import share_link_get
from apps.proposals.services import proposal_revise, proposal_revoke, share_link_revoke
from apps.proposals.testing import make_analyses, make_shared_proposal
from apps.tco.testing import complete_answers

UA = "Mozilla/5.0 (Prospect) Firefox/140.0"
SECRET_NUMBERS = ("$4,085.47", "$3,375.00", "Month 15")


def _anon() -> Client:
    return Client(HTTP_USER_AGENT=UA, REMOTE_ADDR="198.51.100.7")


def _accept(client: Client, token: str, **extra):
    data = {
        "full_name": "Ann Prospect",
        "title": "Practice manager",
        "email": "ann@harbour.example",
        "consent": "on",
        **extra,
    }
    return client.post(f"/p/{token}/accept/", data)


@pytest.fixture
def shared(world):
    return make_shared_proposal(world)


def test_the_page_opens_without_an_account_or_a_session_and_is_noindex(world, shared):
    proposal, _, token = shared
    response = _anon().get(f"/p/{token}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert proposal.client_name in body
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "<svg" in body and "Download PDF" in body and "Accept proposal" in body


@pytest.mark.parametrize(
    "make_token",
    [
        lambda org, token: f"{org}.{secrets.token_urlsafe(32)}",  # guessed secret
        lambda org, token: "not-a-token",
        lambda org, token: token[:-2],  # truncated
        lambda org, token: f"{org + 1}.{token.split('.', 1)[1]}",  # tampered tenant id
        lambda org, token: f"99999999999999999999.{token.split('.', 1)[1]}",  # out of range
    ],
)
def test_a_wrong_token_is_a_plain_404(world, shared, make_token):
    proposal, _, token = shared
    response = _anon().get(f"/p/{make_token(world.id, token)}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert proposal.client_name not in body and proposal.title not in body
    assert "noindex" in response["X-Robots-Tag"]


def _gone(response, proposal) -> None:
    assert response.status_code == 410
    body = response.content.decode()
    assert proposal.client_name not in body and proposal.title not in body
    for number in SECRET_NUMBERS:
        assert number not in body


def test_expired_and_revoked_links_and_withdrawn_or_replaced_proposals_are_410(world, shared):
    proposal, link, token = shared
    with world.context():
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    _gone(_anon().get(f"/p/{token}/"), proposal)
    with world.context():
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() + dt.timedelta(days=3)
        )
        share_link_revoke(link=ShareLink.objects.get(pk=link.pk))
    _gone(_anon().get(f"/p/{token}/"), proposal)
    _gone(_accept(_anon(), token), proposal)

    proposal2, _, token2 = make_shared_proposal(world)
    with world.context():
        proposal_revoke(proposal=proposal2)
    _gone(_anon().get(f"/p/{token2}/"), proposal2)

    proposal3, _, token3 = make_shared_proposal(world)
    with world.context():
        proposal_revise(proposal=proposal3, user=world.salesperson)
    _gone(_anon().get(f"/p/{token3}/pdf/"), proposal3)
    with world.context():
        assert not ProposalDecision.objects.exists()


def test_a_pin_protected_link_shows_nothing_without_the_pin(world):
    proposal, link, token = make_shared_proposal(world, pin="4821")
    client = _anon()
    for path in ("", "pdf/", "certificate/", "api/"):
        response = client.get(f"/p/{token}/{path}")
        assert response.status_code == 404, path
        body = response.content.decode()
        assert proposal.client_name not in body and "Enter the PIN" in body
    assert _accept(client, token).status_code == 404
    wrong = client.post(f"/p/{token}/pin/", {"pin": "0000"})
    assert wrong.status_code == 403 and proposal.client_name not in wrong.content.decode()
    right = client.post(f"/p/{token}/pin/", {"pin": "4821"})
    assert right.status_code == 302
    assert client.get(f"/p/{token}/").status_code == 200
    with world.context():
        assert ProposalView.objects.filter(proposal=proposal).count() == 1
        assert "4821" not in ShareLink.objects.get(pk=link.pk).pin_hash


def test_wrong_pins_are_throttled(world):
    _, _, token = make_shared_proposal(world, pin="4821")
    client = _anon()
    for _ in range(5):
        assert client.post(f"/p/{token}/pin/", {"pin": "1111"}).status_code == 403
    # The right PIN no longer helps once the visitor is throttled.
    assert client.post(f"/p/{token}/pin/", {"pin": "4821"}).status_code == 429


def test_public_pages_are_rate_limited_by_visitor(world, shared, settings):
    settings.PROPOSALS_PUBLIC_RATE_PER_MINUTE = 3
    _, _, token = shared
    client = _anon()
    assert [client.get(f"/p/{token}/").status_code for _ in range(4)] == [200, 200, 200, 429]
    other = Client(REMOTE_ADDR="198.51.100.99")
    assert other.get(f"/p/{token}/").status_code == 200


def test_every_open_is_recorded_and_the_first_one_e_mails_the_salesperson(
    world, shared, django_capture_on_commit_callbacks
):
    proposal, link, token = shared
    mail.outbox.clear()
    client = _anon()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/p/{token}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/p/{token}/").status_code == 200
    with world.context():
        views = list(ProposalView.objects.filter(proposal=proposal).order_by("id"))
        proposal.refresh_from_db()
        link = share_link_get(share_link_id=link.id)
    assert len(views) == 2
    expected_ip = hmac.new(
        settings.SECRET_KEY.encode(), b"198.51.100.7", hashlib.sha256
    ).hexdigest()
    assert {v.ip_hash for v in views} == {expected_ip}
    assert {v.user_agent for v in views} == {UA}
    assert {v.share_link_id for v in views} == {link.id}
    assert link.view_count == 2 and proposal.status == ProposalStatus.VIEWED
    assert proposal.first_viewed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.salesperson.email]
    assert "opened your proposal" in mail.outbox[0].subject
    timeline = world.salesperson_client().get(f"/proposals/{proposal.id}/").content.decode()
    assert "Opened the page" in timeline and "CFO" in timeline


def test_the_sender_previewing_their_own_link_is_not_a_view(world, shared):
    proposal, _, token = shared
    assert world.salesperson_client().get(f"/p/{token}/").status_code == 200
    with world.context():
        assert not ProposalView.objects.filter(proposal=proposal).exists()
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SENT


def test_accept_shows_the_terms_first_needs_csrf_and_records_what_was_accepted(
    world, shared, django_capture_on_commit_callbacks
):
    proposal, link, token = shared
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=UA, REMOTE_ADDR="198.51.100.7")
    page = client.get(f"/p/{token}/")
    body = page.content.decode()
    assert body.index('id="terms"') < body.index('action="/p/' + token + '/accept/"')
    assert _accept(client, token).status_code == 403  # no CSRF token
    csrf = page.cookies[settings.CSRF_COOKIE_NAME].value
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _accept(client, token, csrfmiddlewaretoken=csrf)
    assert response.status_code == 302 and response["Location"] == f"/p/{token}/certificate/"
    with world.context():
        decision = ProposalDecision.objects.get(proposal=proposal)
        proposal.refresh_from_db()
        final = ProposalDocument.objects.filter(proposal=proposal, kind=DocumentKind.FINAL)
        assert final.count() == 1 and final.get().job_id is not None
    assert decision.outcome == "accepted" and decision.consent
    assert decision.full_name == "Ann Prospect" and decision.title == "Practice manager"
    assert decision.email == "ann@harbour.example"
    assert decision.snapshot_hash == proposal.content_hash
    assert (
        decision.terms_hash
        == hashlib.sha256(proposal.snapshot["proposal"]["terms"].encode()).hexdigest()
    )
    assert decision.user_agent == UA and len(decision.ip_hash) == 64
    assert decision.share_link_id == link.id
    assert proposal.status == ProposalStatus.ACCEPTED
    assert [m.subject for m in mail.outbox] == [f"{proposal.client_name} accepted your proposal"]
    certificate = client.get(f"/p/{token}/certificate/").content.decode()
    assert "Ann Prospect" in certificate and proposal.content_hash in certificate


def test_accepting_twice_is_idempotent_and_declining_after_is_refused(
    world, shared, django_capture_on_commit_callbacks
):
    _, _, token = shared
    client = _anon()
    with django_capture_on_commit_callbacks(execute=True):
        assert _accept(client, token).status_code == 302
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _accept(client, token).status_code == 302
    assert len(mail.outbox) == 1
    assert client.post(f"/p/{token}/decline/", {"reason": "x"}).status_code == 409
    with world.context():
        assert ProposalDecision.objects.count() == 1


def test_accept_needs_name_email_and_consent(world, shared):
    _, _, token = shared
    response = _accept(_anon(), token, consent="", email="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    with world.context():
        assert not ProposalDecision.objects.exists()


def test_accept_after_expiry_is_refused(world, shared):
    proposal, _link, token = shared
    client = _anon()
    assert client.get(f"/p/{token}/").status_code == 200
    with world.context():
        Proposal.objects.filter(pk=proposal.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
    response = _accept(client, token)
    assert response.status_code == 410
    with world.context():
        assert not ProposalDecision.objects.exists()
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.EXPIRED
    listing = world.salesperson_client().get("/proposals/").content.decode()
    assert 'data-status="expired"' in listing
    # The link itself expiring between opening the page and posting is refused the same way.
    _proposal2, link2, token2 = make_shared_proposal(world)
    with world.context():
        ShareLink.objects.filter(pk=link2.pk).update(expires_at=timezone.now())
    assert _accept(_anon(), token2).status_code == 410


def test_decline_with_a_reason(world, shared, django_capture_on_commit_callbacks):
    proposal, _, token = shared
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _anon().post(f"/p/{token}/decline/", {"reason": "Too expensive for us"})
    assert response.status_code == 302
    with world.context():
        decision = ProposalDecision.objects.get()
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DECLINED
    assert decision.outcome == "declined" and decision.reason == "Too expensive for us"
    assert "Too expensive for us" in mail.outbox[0].body
    assert "declined" in mail.outbox[0].subject


def test_user_text_is_shown_as_text_on_the_page(world):
    from apps.assessments.models import CustomQuestion
    from apps.clients.services import client_create

    hostile = '<script>alert("x")</script><img src="file:///etc/passwd">'
    with world.context():
        client = client_create(user=world.admin, name=f"Evil {hostile} Ltd")
        question = CustomQuestion.objects.create(label="Anything else?", section="company")
    answers = complete_answers()
    answers["custom"] = {str(question.id): f"Note {hostile}"}
    analysis = make_analyses(world, answers=answers, client=client)[0]
    from apps.proposals.services import proposal_create, share_link_create

    with world.context():
        proposal = proposal_create(analysis=analysis, user=world.salesperson)
        _, token = share_link_create(
            proposal=proposal, user=world.salesperson, acknowledge_warning=True
        )
    assert proposal.snapshot["assessment"]["custom"][0]["answer"].startswith("Note <script>")
    body = _anon().get(f"/p/{token}/").content.decode()
    assert "<script>alert" not in body and '<img src="file:' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "Note &lt;script&gt;" in body


def test_organisation_a_link_never_shows_organisation_b(world, other_world):
    proposal_a, _, token_a = make_shared_proposal(world)
    proposal_b, _link_b, token_b = make_shared_proposal(other_world)
    with other_world.context():
        from apps.clients.models import Client as ProspectClient

        ProspectClient.objects.filter(pk=proposal_b.client_id).update(name="Bravo Secret Co")
    body = _anon().get(f"/p/{token_a}/").content.decode()
    assert other_world.organization.name not in body and "Bravo Secret Co" not in body
    assert proposal_a.client_name in body
    # B's secret presented under A's organisation id, and the reverse: not found.
    secret_b = token_b.split(".", 1)[1]
    secret_a = token_a.split(".", 1)[1]
    assert _anon().get(f"/p/{world.id}.{secret_b}/").status_code == 404
    assert _anon().get(f"/p/{other_world.id}.{secret_a}/").status_code == 404
    assert _accept(_anon(), f"{world.id}.{secret_b}").status_code == 404
    with other_world.context():
        assert not ProposalDecision.objects.exists()


def test_public_json_endpoints(world, shared):
    proposal, _, token = shared
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.8")
    summary = client.get(f"/p/{token}/api/")
    assert summary.status_code == 200
    data = summary.json()
    assert data["content_hash"] == proposal.content_hash and data["can_answer"] is True
    body = {"full_name": "Ann", "email": "ann@x.example", "consent": True}
    refused = client.post(f"/p/{token}/api/accept/", body, content_type="application/json")
    assert refused.status_code == 403  # CSRF applies to the JSON endpoint too
    csrf = client.get(f"/p/{token}/").cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        f"/p/{token}/api/accept/", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["decision"]["outcome"] == "accepted"
    declined = client.post(
        f"/p/{token}/api/decline/", {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert declined.status_code == 409
