"""Web pages: new analysis, progress then results, tier comparison, lists, client panel."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from apps.tco.models import Analysis, AnalysisStatus
from apps.tco.services import analysis_request
from apps.tco.testing import complete_answers, make_assessment

from .conftest import finish, make_rows, tier_named

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, whitespace collapsed (numbers are checked as a person reads)."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_new_analysis_page_offers_every_active_tier(world, assessment):
    response = world.salesperson_client().get(f"/analyses/new/?assessment={assessment.id}")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Essentials", "Standard", "Premium"):
        assert name in page
    assert page.count('name="tiers"') == 3
    assert "Run analysis" in page and " disabled" not in page


def test_new_analysis_page_lists_missing_answers_and_disables_the_button(world):
    assessment = make_assessment(world, answers={"company": {"users": 10}})
    response = world.salesperson_client().get(f"/analyses/new/?assessment={assessment.id}")
    assert response.status_code == 200
    assert "Sites (offices with IT)" in text(response)
    assert 'class="primary" disabled' in response.content.decode()


def form_data(assessment, tiers, **extra):
    data = {
        "assessment": assessment.id,
        "tiers": [str(t.id) for t in tiers],
        "overrides-TOTAL_FORMS": "4",
        "overrides-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_posting_all_tiers_runs_a_comparison(world, assessment, django_capture_on_commit_callbacks):
    with world.context():
        tiers = [tier_named(n) for n in ("Essentials", "Standard", "Premium")]
    with django_capture_on_commit_callbacks() as callbacks:
        response = world.salesperson_client().post("/analyses/new/", form_data(assessment, tiers))
    assert response.status_code == 302
    with world.context():
        analyses = list(Analysis.objects.order_by("id"))
    assert len(analyses) == 3 and len(callbacks) == 3
    assert response["Location"] == f"/analyses/{analyses[0].id}/compare/"


def test_posting_one_tier_with_an_override_opens_its_page(world, assessment):
    with world.context():
        tiers = [tier_named("Standard")]
    data = form_data(
        assessment,
        tiers,
        **{
            "overrides-0-path": "outages.reduction",
            "overrides-0-value": "0.6",
            "overrides-0-reason": "Redundant firewall",
        },
    )
    response = world.salesperson_client().post("/analyses/new/", data)
    assert response.status_code == 302
    with world.context():
        analysis = Analysis.objects.get()
    assert response["Location"] == f"/analyses/{analysis.id}/"
    assert analysis.overrides["outages.reduction"]["value"] == 0.6
    assert analysis.overrides["outages.reduction"]["reason"] == "Redundant firewall"


def test_bad_override_is_shown_on_its_row(world, assessment):
    with world.context():
        tiers = [tier_named("Standard")]
    data = form_data(
        assessment,
        tiers,
        **{
            "overrides-0-path": "tickets.reduction",
            "overrides-0-value": "1.5",
            "overrides-0-reason": "x",
        },
    )
    response = world.salesperson_client().post("/analyses/new/", data)
    assert response.status_code == 400
    assert "must be in [0, 1)" in text(response)
    data["overrides-0-reason"] = ""
    response = world.salesperson_client().post("/analyses/new/", data)
    assert response.status_code == 400
    assert "Say why" in text(response)
    with world.context():
        assert not Analysis.objects.exists()


def test_a_running_analysis_shows_the_progress_bar_that_reloads_the_page(world, assessment):
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment, user=world.salesperson, tiers=[tier_named("Standard")]
        )
    response = world.salesperson_client().get(f"/analyses/{analysis.id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'hx-get="/jobs/{analysis.job_id}/progress/?refresh=1"' in page
    assert "Queued" in page
    poll = world.salesperson_client().get(
        f"/jobs/{analysis.job_id}/progress/?refresh=1", HTTP_HX_REQUEST="true"
    )
    assert "HX-Refresh" not in poll
    finish(world, analysis)
    poll = world.salesperson_client().get(
        f"/jobs/{analysis.job_id}/progress/?refresh=1", HTTP_HX_REQUEST="true"
    )
    assert poll["HX-Refresh"] == "true"


def test_results_page_shows_the_headline_from_the_stored_result(world, finished):
    response = world.salesperson_client().get(f"/analyses/{finished.id}/")
    assert response.status_code == 200
    page = text(response)
    result = finished.result
    assert result["present_value"]["savings"] == 4085.47
    assert "Savings with Managed Services (present value) $4,085" in page
    assert "Hard-cash difference (present value) −$43,939" in page
    assert "Payback Month 15" in page
    probability = round(result["simulation"]["probability_managed_cheaper"] * 100)
    assert f"Chance Managed Services is cheaper {probability}%" in page
    # Principle 2: this case wins only through the risk layer, and the page says so.
    assert "but only through the risk layer" in page
    assert "Managed Services pays off if it prevents at least 26% of outages (now 50%)." in page
    html = response.content.decode()
    assert html.count("<svg") == 4
    assert 'class="payback"' in html
    assert 'data-path="managed.price_per_user" data-source="tier"' in html
    assert 'data-path="environment.users" data-source="assessment"' in html
    assert "Pricing tier Standard v1" in page
    # Rows keep the engine's order although jsonb stores the keys re-ordered.
    assert html.index('data-path="environment.users"') < html.index('data-path="environment.sites"')
    assert page.index("prevents at least 26% of outages") < page.index("an hour of staff time")
    assert "Year 1 Year 2 Year 3 Total Present value" in page


def test_a_failed_analysis_shows_its_reason(world, assessment):
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment, user=world.salesperson, tiers=[tier_named("Standard")]
        )
        Analysis.objects.filter(id=analysis.id).update(
            overrides={"tickets.reduction": {"value": 3, "reason": "x"}}
        )
    finish(world, analysis)
    response = world.salesperson_client().get(f"/analyses/{analysis.id}/")
    assert response.status_code == 200
    assert "tickets.reduction: must be in [0, 1)" in text(response)


def test_comparison_recommends_the_tier_that_saves_most(world, assessment):
    with world.context():
        analyses = analysis_request(assessment=assessment, user=world.salesperson, trials=1000)
    for analysis in analyses:
        finish(world, analysis)
    response = world.salesperson_client().get(f"/analyses/{analyses[0].id}/compare/")
    assert response.status_code == 200
    page = text(response)
    with world.context():
        best = max(
            Analysis.objects.select_related("pricing_tier_version"),
            key=lambda a: a.summary["savings"],
        )
    assert best.pricing_tier_version.name == "Essentials"
    assert f'data-recommendation="{best.id}"' in response.content.decode()
    assert "Essentials saves the most: $18,059 (present value)." in page
    assert "Savings (present value) $18,059 $4,085 −$31,424" in page
    assert response.content.decode().count("<svg") == 1


def test_comparison_says_break_fix_when_no_tier_saves(world):
    # A prospect that barely calls for support: no tier pays for itself.
    answers = complete_answers(company={"users": 25})
    assessment = make_assessment(world, answers=answers)
    with world.context():
        analyses = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            trials=500,
            overrides={"tickets.per_user_per_month": {"value": 0.05, "reason": "Quiet office"}},
        )
    for analysis in analyses:
        finish(world, analysis)
    response = world.salesperson_client().get(f"/analyses/{analyses[1].id}/compare/")
    assert 'data-recommendation="break_fix"' in response.content.decode()
    assert "staying with Break/Fix is the cheaper choice" in text(response)
    single = world.salesperson_client().get(f"/analyses/{analyses[0].id}/")
    assert "On these numbers Break/Fix is cheaper by" in text(single)


def test_another_tenants_analysis_pages_are_not_found(world, other_world, finished):
    client = other_world.admin_client()
    assert client.get(f"/analyses/{finished.id}/").status_code == 404
    assert client.get(f"/analyses/{finished.id}/compare/").status_code == 404
    assessment_id = finished.assessment_version.assessment_id
    assert client.get(f"/analyses/new/?assessment={assessment_id}").status_code == 404
    assert client.get("/analyses/new/").status_code == 404


def test_pages_need_a_signed_in_member(finished):
    from django.test import Client

    response = Client().get(f"/analyses/{finished.id}/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("rows", [5, 200])
def test_list_page_query_count_does_not_grow(
    world, assessment, rows, django_assert_max_num_queries
):
    make_rows(world, assessment, rows)
    client = world.salesperson_client()
    client.get("/analyses/")
    # Session, user, membership, tenant, count, one page of rows: the same for 5 or 200 rows.
    with django_assert_max_num_queries(14):
        response = client.get("/analyses/")
    assert response.status_code == 200
    assert response.content.decode().count("data-analysis=") == min(rows, 25)


def test_client_panel_lists_the_clients_analyses(world, finished):
    request = RequestFactory().get("/")
    with world.context():
        html = render_to_string(
            "clients/_related_analyses.html",
            {"client": finished.client, "current_organization": world.organization},
            request=request,
        )
    assert f'href="/analyses/{finished.id}/"' in html
    assert "$4,085" in html
    assert finished.status == AnalysisStatus.SUCCEEDED


def test_client_page_shows_its_analyses(world, finished):
    response = world.salesperson_client().get(f"/clients/{finished.client_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="client-analyses"' in html
    assert f'href="/analyses/{finished.id}/"' in html
