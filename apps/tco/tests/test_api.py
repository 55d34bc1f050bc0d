"""`/api/v1/analyses/`: 202 + jobs, field errors, 404 across tenants, permissions, lists."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.jobs.models import Job
from apps.tco.models import Analysis, AnalysisStatus
from apps.tco.testing import make_assessment

from .conftest import make_rows, tier_named

pytestmark = pytest.mark.django_db
URL = "/api/v1/analyses/"


def post(client: Client, body: dict):
    return client.post(URL, body, content_type="application/json")


def test_post_answers_202_with_one_analysis_and_job_per_tier(
    world, assessment, django_capture_on_commit_callbacks
):
    client = world.salesperson_client()
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(client, {"assessment": assessment.id})
    assert response.status_code == 202, response.content
    body = response.json()
    assert len(body["analyses"]) == 3
    assert {a["tier_name"] for a in body["analyses"]} == {"Essentials", "Standard", "Premium"}
    assert {a["status"] for a in body["analyses"]} == {"queued"}
    assert {a["group"] for a in body["analyses"]} == {body["group"]}
    assert sorted(body["jobs"]) == sorted(a["job"]["id"] for a in body["analyses"])
    assert body["compare_url"].endswith("/compare/")
    assert len(callbacks) == 3  # one task each, sent on commit
    with world.context():
        assert Job.objects.filter(id__in=body["jobs"], status="queued").count() == 3


def test_post_one_tier_with_overrides_and_trials(world, assessment):
    client = world.salesperson_client()
    with world.context():
        premium = tier_named("Premium")
    response = post(
        client,
        {
            "assessment": assessment.id,
            "tiers": [premium.id],
            "trials": 5000,
            "overrides": {"outages.reduction": {"value": 0.7, "reason": "Redundant ISP"}},
        },
    )
    assert response.status_code == 202, response.content
    (analysis,) = response.json()["analyses"]
    assert analysis["tier"] == premium.id
    assert analysis["trials"] == 5000
    assert analysis["overrides"] == {
        "outages.reduction": {"value": 0.7, "reason": "Redundant ISP", "by": world.salesperson.id}
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "assessment", "This field is required."),
        ({"trials": 5}, "trials", "Ensure this value is greater than or equal to 100."),
        ({"tiers": "all"}, "tiers", 'Expected a list of items but got type "str".'),
        (
            {"overrides": {"tickets.reduction": {"value": 1.5, "reason": "x"}}},
            "overrides.tickets.reduction",
            "must be in [0, 1)",
        ),
        (
            {"overrides": {"tickets.reduction": {"value": 0.4}}},
            "overrides.tickets.reduction",
            "a reason is required for every override",
        ),
        (
            {"overrides": {"no.such": {"value": 1, "reason": "x"}}},
            "overrides.no.such",
            "is not an input that can be overridden",
        ),
    ],
)
def test_bad_requests_get_field_errors(world, assessment, body, field, message):
    client = world.salesperson_client()
    if "assessment" not in body and field != "assessment":
        body = {"assessment": assessment.id, **body}
    response = post(client, body)
    assert response.status_code == 400, response.content
    assert message in response.json()[field]
    with world.context():
        assert not Analysis.objects.exists()


def test_incomplete_assessment_gets_the_missing_answers(world):
    assessment = make_assessment(world, answers={"company": {"users": 10}})
    response = post(world.salesperson_client(), {"assessment": assessment.id})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The assessment is missing answers the analysis needs."
    assert "Company profile: Sites (offices with IT) is required." in body["assessment"]


def test_another_tenants_assessment_or_tier_is_not_found(world, other_world, assessment):
    theirs = make_assessment(other_world)
    with other_world.context():
        their_tier = tier_named("Standard")
        their_version = their_tier.current_version
    client = world.salesperson_client()
    assert post(client, {"assessment": theirs.id}).status_code == 404
    assert post(client, {"assessment": assessment.id, "tiers": [their_tier.id]}).status_code == 404
    response = post(client, {"assessment": assessment.id, "tier_versions": [their_version.id]})
    assert response.status_code == 404
    with world.context():
        assert not Analysis.objects.exists()


def test_another_tenants_analysis_is_not_found(world, other_world, finished):
    response = other_world.admin_client().get(f"{URL}{finished.id}/")
    assert response.status_code == 404
    assert other_world.admin_client().get(URL).json()["count"] == 0


def test_anonymous_and_non_members_are_refused(world, assessment):
    assert Client().get(URL).status_code in (401, 403)
    assert post(Client(), {"assessment": assessment.id}).status_code in (401, 403)
    from apps.tenancy.testing import make_user

    outsider = Client()
    outsider.force_login(make_user(), backend="apps.accounts.backends.EmailBackend")
    assert post(outsider, {"assessment": assessment.id}).status_code == 403


def test_admins_and_salespeople_may_both_run_analyses(world, assessment):
    for client in (world.admin_client(), world.salesperson_client()):
        response = post(client, {"assessment": assessment.id, "trials": 100})
        assert response.status_code == 202


def test_retrieve_includes_the_result_inputs_and_sources_when_done(world, finished):
    response = world.salesperson_client().get(f"{URL}{finished.id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["job"]["status"] == "succeeded" and body["job"]["progress"] == 100
    assert body["result"]["present_value"]["savings"] == 4085.47
    assert body["inputs"]["environment"]["users"] == 25
    assert body["input_sources"]["managed.price_per_user"]["source"] == "tier"
    assert body["engine_version"] and body["seed"] == finished.seed


def test_list_filters_by_client_assessment_and_status(world, finished):
    client = world.salesperson_client()
    assessment_id = finished.assessment_version.assessment_id
    assert client.get(URL, {"client": finished.client_id}).json()["count"] == 1
    assert client.get(URL, {"client": finished.client_id + 999}).json()["count"] == 0
    assert client.get(URL, {"assessment": assessment_id}).json()["count"] == 1
    assert client.get(URL, {"status": "succeeded"}).json()["count"] == 1
    assert client.get(URL, {"status": "queued"}).json()["count"] == 0
    listed = client.get(URL).json()["results"][0]
    assert "result" not in listed and "inputs" not in listed
    assert listed["summary"]["savings"] == 4085.47
    bad = client.get(URL, {"status": "nope"})
    assert bad.status_code == 400 and "status" in bad.json()


@pytest.mark.parametrize("rows", [5, 200])
def test_list_query_count_does_not_grow_with_rows(
    world, assessment, rows, django_assert_max_num_queries
):
    make_rows(world, assessment, rows)
    client = world.salesperson_client()
    client.get(URL)  # warm the session and membership caches
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page_size": 200})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    assert {r["status"] for r in response.json()["results"]} == {AnalysisStatus.SUCCEEDED}


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"assessment": "abc"}',
        '{"assessment": 1, "tiers": [1.5]}',
        '{"assessment": 1, "overrides": "tickets"}',
        '{"assessment": 1, "overrides": {"tickets.reduction": [1]}}',
        '{"assessment": 1, "overrides": {"tickets.reduction": {"value": null, "reason": "x"}}}',
        '{"assessment": 1, "overrides": {"tickets.reduction": {"value": "NaN", "reason": "x"}}}',
        '{"assessment": 1, "trials": 1e300}',
        "[]",
    ],
)
def test_malformed_api_requests_never_answer_500(world, assessment, body):
    body = body.replace('"assessment": 1', f'"assessment": {assessment.id}')
    response = world.salesperson_client().post(
        "/api/v1/analyses/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
