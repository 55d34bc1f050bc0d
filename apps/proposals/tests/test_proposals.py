"""Proposal snapshots: frozen, hashed, revised with a readable diff, immutable once sent."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from apps.proposals.models import Proposal, ProposalStatus
from apps.proposals.selectors import branding_get
from apps.proposals.services import (
    ProposalLockedError,
    branding_update,
    proposal_create,
    proposal_revise,
    proposal_update,
    share_link_create,
)
from apps.proposals.snapshot import content_hash
from apps.proposals.testing import make_analyses, make_proposal, make_shared_proposal
from apps.tco.testing import complete_answers


def test_a_proposal_freezes_everything_it_shows_with_a_content_hash(world, good_answers):
    analysis = make_analyses(world, answers=good_answers)[0]
    with world.context():
        proposal = proposal_create(analysis=analysis, user=world.salesperson)
    snap = proposal.snapshot
    option = snap["options"][0]
    assert snap["assessment"]["answers"]["company"]["users"] == 25
    assert option["inputs"] == analysis.inputs
    assert option["input_sources"] == analysis.input_sources
    assert option["result"]["present_value"] == analysis.result["present_value"]
    assert option["tier"]["name"] == "Standard" and option["tier"]["version"] == 1
    assert option["tier"]["price_per_user"] == "125.00"
    assert option["assumption_set"]["values"]["labour.loaded_hourly_cost"]["source"]
    assert option["engine_version"] == analysis.engine_version
    assert option["seed"] == analysis.seed
    assert snap["branding"]["company_name"] == world.organization.name
    assert snap["client"]["name"] == analysis.client.name
    assert proposal.content_hash == content_hash(snap)
    assert proposal.status == ProposalStatus.DRAFT
    assert str(proposal.savings_pv) == f"{analysis.result['present_value']['savings']:.2f}"
    assert proposal.favours_break_fix is False


def test_a_tier_comparison_keeps_every_tier_and_flags_the_recommended_one(world):
    analyses = make_analyses(world, tiers=["Essentials", "Standard", "Premium"])
    standard = next(a for a in analyses if a.pricing_tier_version.name == "Standard")
    with world.context():
        proposal = proposal_create(analysis=standard, user=world.salesperson)
    names = [o["tier"]["name"] for o in proposal.snapshot["options"]]
    assert sorted(names) == ["Essentials", "Premium", "Standard"]
    assert [o["tier"]["name"] for o in proposal.snapshot["options"] if o["recommended"]] == [
        "Standard"
    ]
    assert proposal.tier_name == "Standard"


def test_nothing_edited_later_changes_a_sent_proposal(world, good_answers):
    from apps.assessments.models import Assessment
    from apps.pricing.models import PricingTier
    from apps.pricing.services import pricing_tier_update

    proposal, _, token = make_shared_proposal(world, answers=good_answers)
    before = (proposal.content_hash, proposal.snapshot)
    with world.context():
        branding_update(user=world.admin, data={"primary_color": "#aa0000", "legal_footer": "X"})
        tier = PricingTier.objects.get(name="Standard")
        pricing_tier_update(tier=tier, user=world.admin, price_per_user="199.00")
        Assessment.objects.update(answers=complete_answers(company={"users": 90}))
        proposal.refresh_from_db()
    assert (proposal.content_hash, proposal.snapshot) == before
    assert proposal.content_hash == content_hash(proposal.snapshot)
    page = world.salesperson_client().get(f"/p/{token}/").content.decode()
    assert "#aa0000" not in page and "$125.00" in page


def test_editing_a_draft_moves_its_hash_and_sending_freezes_it(world):
    proposal = make_proposal(world)
    with world.context():
        edited = proposal_update(proposal=proposal, title="IT for Harbour", note="Hi Ann")
        assert edited.content_hash != proposal.content_hash
        assert edited.snapshot["proposal"]["note"] == "Hi Ann"
        share_link_create(proposal=edited, user=world.salesperson, acknowledge_warning=True)
        with pytest.raises(ProposalLockedError):
            proposal_update(proposal=edited, title="Changed after sending")
        assert Proposal.objects.get(pk=edited.pk).title == "IT for Harbour"


def test_a_sent_or_accepted_proposal_cannot_be_edited_through_the_pages(world):
    proposal, _, _ = make_shared_proposal(world)
    client = world.salesperson_client()
    response = client.post(f"/proposals/{proposal.id}/edit/", {"title": "Tampered"})
    assert response.status_code == 409
    with world.context():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ACCEPTED)
    response = client.post(f"/proposals/{proposal.id}/edit/", {"title": "Tampered"})
    assert response.status_code == 409
    response = client.post(f"/proposals/{proposal.id}/revise/", {"analysis": ""})
    assert response.status_code == 400
    with world.context():
        fresh = Proposal.objects.get(pk=proposal.pk)
        assert fresh.title == proposal.title and fresh.content_hash == proposal.content_hash
        assert Proposal.objects.count() == 1


def test_a_revision_is_a_new_version_with_a_readable_diff(world):
    first = make_analyses(
        world, answers=complete_answers(company={"users": 25, "loaded_hourly_cost": 45})
    )[0]
    with world.context():
        proposal = proposal_create(analysis=first, user=world.salesperson)
        share_link_create(proposal=proposal, user=world.salesperson, acknowledge_warning=True)
    second = make_analyses(
        world,
        answers=complete_answers(company={"users": 30, "loaded_hourly_cost": 52}),
        tiers=["Premium"],
        client=first.client,
    )[0]
    with world.context():
        revision = proposal_revise(proposal=proposal, user=world.salesperson, analysis=second)
        proposal.refresh_from_db()
    assert revision.version == 2 and revision.series == proposal.series
    assert revision.previous_id == proposal.pk
    assert revision.status == ProposalStatus.DRAFT
    assert proposal.status == ProposalStatus.SUPERSEDED
    assert "users 25 → 30" in revision.changes
    assert "tier Standard → Premium" in revision.changes
    assert "loaded cost 45 → 52" in revision.changes
    assert revision.content_hash != proposal.content_hash
    page = world.salesperson_client().get(f"/proposals/{revision.id}/").content.decode()
    assert "users 25 → 30" in page and "tier Standard → Premium" in page


def test_sharing_a_proposal_that_favours_break_fix_needs_the_warning_acknowledged(world):
    # The default prospect wins only through the risk layer: the warning applies.
    proposal = make_proposal(world)
    assert proposal.favours_break_fix
    client = world.salesperson_client()
    page = client.get(f"/proposals/{proposal.id}/").content.decode()
    assert "the numbers favour Break/Fix" in page
    response = client.post(f"/proposals/{proposal.id}/links/", {"expires_in_days": 30})
    assert response.status_code == 400
    assert "confirm you read the warning" in response.content.decode()
    with world.context():
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT
    response = client.post(
        f"/proposals/{proposal.id}/links/", {"expires_in_days": 30, "acknowledge_warning": "on"}
    )
    assert response.status_code == 200
    assert "/p/" in response.content.decode()
    with world.context():
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SENT


def test_a_clear_win_has_no_warning_and_the_summary_says_so(world, good_answers):
    proposal = make_proposal(world, answers=good_answers)
    assert not proposal.favours_break_fix
    page = world.salesperson_client().get(f"/proposals/{proposal.id}/").content.decode()
    assert "break-fix-warning" not in page


def test_when_break_fix_is_cheaper_the_proposal_says_so_plainly(world):
    # Premium at $175 a user for the default prospect: savings are negative.
    proposal = make_proposal(world, tiers=["Premium"])
    assert proposal.savings_pv < 0 and proposal.favours_break_fix
    body = world.salesperson_client().get(f"/proposals/{proposal.id}/preview/").content.decode()
    assert "On these numbers, Break/Fix is the cheaper option." in body


def test_creating_from_the_create_page_and_from_a_bare_post(world, good_answers):
    analysis = make_analyses(world, answers=good_answers)[0]
    client = world.salesperson_client()
    page = client.get(f"/proposals/new/?analysis={analysis.id}")
    assert page.status_code == 200 and "Create draft proposal" in page.content.decode()
    response = client.post("/proposals/new/", {"analysis": analysis.id})
    assert response.status_code == 302
    with world.context():
        proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.id}/"
    assert len(proposal.snapshot["options"]) == 1


def test_another_tenants_analysis_or_proposal_is_a_404(world, other_world):
    proposal = make_proposal(world)
    client = other_world.salesperson_client()
    assert client.get(f"/proposals/{proposal.id}/").status_code == 404
    assert client.get(f"/proposals/new/?analysis={proposal.analysis_id}").status_code == 404
    assert client.post(f"/proposals/{proposal.id}/links/", {}).status_code == 404


def test_a_past_validity_date_is_refused(world):
    analysis = make_analyses(world)[0]
    from apps.core.errors import ApplicationError

    with world.context(), pytest.raises(ApplicationError) as exc:
        proposal_create(
            analysis=analysis,
            user=world.salesperson,
            valid_until=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "valid_until" in exc.value.extra


def _copies(world, proposal, n: int) -> None:
    with world.context():
        rows = []
        for _ in range(n):
            copy = Proposal.objects.get(pk=proposal.pk)
            copy.pk = copy.id = None
            copy.series = uuid.uuid4()
            rows.append(copy)
        Proposal.objects.bulk_create(rows)


def test_list_page_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    proposal = make_proposal(world)
    client = world.salesperson_client()
    _copies(world, proposal, 4)
    with django_assert_max_num_queries(15) as small:
        assert client.get("/proposals/").status_code == 200
    _copies(world, proposal, 195)
    with django_assert_max_num_queries(15) as large:
        response = client.get("/proposals/")
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count('href="/proposals/') >= 25


def test_branding_reaches_new_proposals_only(world):
    first = make_proposal(world)
    with world.context():
        branding_update(user=world.admin, data={"company_name": "Northwind IT"})
        assert branding_get().company_name == "Northwind IT"
    second = make_proposal(world)
    assert first.snapshot["branding"]["company_name"] == world.organization.name
    assert second.snapshot["branding"]["company_name"] == "Northwind IT"
    assert mail.outbox == []


def test_an_open_proposal_past_its_validity_reads_as_expired_before_anyone_opens_it(world):
    proposal, _, _ = make_shared_proposal(world)
    with world.context():
        Proposal.objects.filter(pk=proposal.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
    page = world.salesperson_client().get(f"/proposals/{proposal.id}/").content.decode()
    assert 'data-status="expired"' in page


def test_the_salesperson_pages_work_end_to_end(world, good_answers):
    from apps.proposals.models import ProposalDocument, ShareLink

    proposal = make_proposal(world, answers=good_answers)
    client = world.salesperson_client()
    edit = client.post(
        f"/proposals/{proposal.id}/edit/",
        {"title": "Managed IT for Harbour", "valid_until": "", "note": "", "terms": ""},
    )
    assert edit.status_code == 302
    preview = client.get(f"/proposals/{proposal.id}/preview/")
    assert preview.status_code == 200 and "Managed IT for Harbour" in preview.content.decode()
    render = client.post(f"/proposals/{proposal.id}/pdf/render/", HTTP_HX_REQUEST="true")
    assert render.status_code == 200 and 'data-status="queued"' in render.content.decode()
    with world.context():
        assert ProposalDocument.objects.filter(proposal=proposal).count() == 1
    created = client.post(
        f"/proposals/{proposal.id}/links/", {"expires_in_days": 7, "label": "Owner"}
    )
    assert created.status_code == 200 and "Copy it now" in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    with world.context():
        link = ShareLink.objects.get()
    revoke = client.post(f"/proposals/{proposal.id}/links/{link.id}/revoke/")
    assert revoke.status_code == 302
    with world.context():
        assert ShareLink.objects.get().revoked_at is not None
    revise_page = client.get(f"/proposals/{proposal.id}/revise/")
    assert revise_page.status_code == 200 and f"Analysis #{proposal.analysis_id}" in (
        revise_page.content.decode()
    )
    withdrawn = client.post(f"/proposals/{proposal.id}/revoke/")
    assert withdrawn.status_code == 302
    with world.context():
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REVOKED
    assert client.get(f"/proposals/{proposal.id}/certificate/").status_code == 404
