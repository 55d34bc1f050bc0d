"""/api/v1/assessments/ and /api/v1/custom-questions/."""

import pytest

from apps.assessments.demo import complete_answers
from apps.assessments.models import Assessment, AssessmentVersion, CustomQuestion
from apps.assessments.services import assessment_create
from apps.clients.services import client_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"
JSON = "application/json"


@pytest.fixture
def client(world):
    with world.context():
        return client_create(user=world.salesperson, name="Harbor Dental")


def make_assessments(world, n):
    with world.context():
        client = client_create(user=world.admin, name="Bulk")
        Assessment.objects.bulk_create(
            Assessment(
                organization=world.organization,
                client=client,
                title=f"A{i}",
                assessed_on="2026-01-01",
                answers=complete_answers(),
                created_by=world.admin,
            )
            for i in range(n)
        )


def test_create_patch_complete_and_list_versions(world, client):
    api = world.salesperson_client()
    response = api.post(
        URL, {"client": client.id, "answers": {"company": {"users": 25}}}, content_type=JSON
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["answers"]["company"]["users"] == 25
    assert "Company profile: Sites (offices with IT)" in body["missing_for_analysis"]
    url = f"{URL}{body['id']}/"
    response = api.post(f"{url}complete/")
    assert response.status_code == 400
    assert response.json()["missing"]
    response = api.patch(url, {"answers": complete_answers()}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["missing_for_analysis"] == []
    assert response.json()["derived_counts"]["network_devices"] == 4
    response = api.post(f"{url}complete/")
    assert response.status_code == 201
    assert response.json()["number"] == 1
    assert api.get(url).json()["status"] == "complete"
    assert api.post(f"{url}snapshot/").json()["number"] == 1
    assert api.get(f"{url}versions/").json()["count"] == 1


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"company": {"users": -1}}, {"company": {"users": ["Must be at least 0."]}}),
        ({"company": {"users": 10**12}}, {"company": {"users": ["Must be at most 100,000."]}}),
        ({"company": {"users": "many"}}, {"company": {"users": ["Enter a number."]}}),
        ({"company": {"users": True}}, {"company": {"users": ["Enter a number."]}}),
        ({"company": {"shoe_size": 9}}, {"company": {"shoe_size": ["Unknown question."]}}),
        (
            {"security": {"mfa_email": "sometimes"}},
            {"security": {"mfa_email": ["Choose yes or no."]}},
        ),
        ({"company": "lots"}, {"company": ["Give the answers of this section by question."]}),
    ],
)
def test_invalid_answers_get_400_with_field_messages(world, client, answers, expected):
    response = world.salesperson_client().post(
        URL, {"client": client.id, "answers": answers}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["answers"] == expected
    with world.context():
        assert not Assessment.objects.exists()


def test_missing_or_foreign_client_is_a_400(world, other_world):
    api = world.salesperson_client()
    response = api.post(URL, {}, content_type=JSON)
    assert response.status_code == 400
    assert "client" in response.json()
    with other_world.context():
        foreign = client_create(user=other_world.admin, name="Theirs")
    response = api.post(URL, {"client": foreign.id}, content_type=JSON)
    assert response.status_code == 400
    response = api.post(URL, {"client": "x"}, content_type=JSON)
    assert response.status_code == 400


def test_another_organization_gets_404(world, other_world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.admin)
    api = other_world.admin_client()
    assert api.get(f"{URL}{assessment.id}/").status_code == 404
    assert api.patch(f"{URL}{assessment.id}/", {}, content_type=JSON).status_code == 404
    assert api.post(f"{URL}{assessment.id}/snapshot/").status_code == 404
    assert api.get(URL).json()["count"] == 0


def test_delete_only_without_versions(world, client):
    api = world.salesperson_client()
    body = api.post(
        URL, {"client": client.id, "answers": complete_answers()}, content_type=JSON
    ).json()
    api.post(f"{URL}{body['id']}/snapshot/")
    assert api.delete(f"{URL}{body['id']}/").status_code == 400
    body = api.post(URL, {"client": client.id}, content_type=JSON).json()
    assert api.delete(f"{URL}{body['id']}/").status_code == 204


def test_schema_endpoint_lists_sections(world):
    body = world.salesperson_client().get(f"{URL}schema/").json()
    assert body[0]["key"] == "company"
    users = body[0]["fields"][0]
    assert users["key"] == "users" and users["required_for_analysis"] is True


def test_custom_questions_admin_writes_salesperson_reads(world):
    payload = {"label": "Printers?", "kind": "number", "section": "endpoints"}
    sales = world.salesperson_client()
    assert sales.post("/api/v1/custom-questions/", payload, content_type=JSON).status_code == 403
    admin = world.admin_client()
    response = admin.post("/api/v1/custom-questions/", payload, content_type=JSON)
    assert response.status_code == 201
    question_id = response.json()["id"]
    assert sales.get("/api/v1/custom-questions/").json()["count"] == 1
    assert (
        sales.patch(
            f"/api/v1/custom-questions/{question_id}/", {"label": "x"}, content_type=JSON
        ).status_code
        == 403
    )
    response = admin.post(
        "/api/v1/custom-questions/",
        {"label": "", "kind": "choice", "section": "x"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert {"label", "section"} <= set(response.json())
    assert admin.delete(f"/api/v1/custom-questions/{question_id}/").status_code == 204
    assert sales.get("/api/v1/custom-questions/").json()["count"] == 0


@pytest.mark.parametrize("rows", [5, 200])
def test_assessment_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    make_assessments(world, rows)
    api = world.admin_client()
    with django_assert_max_num_queries(15):
        response = api.get(URL, {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_custom_question_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    with world.context():
        CustomQuestion.objects.bulk_create(
            CustomQuestion(organization=world.organization, label=f"Q{i}", section="company")
            for i in range(rows)
        )
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get("/api/v1/custom-questions/", {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_version_list_query_count_is_flat(world, client, rows, django_assert_max_num_queries):
    with world.context():
        assessment = assessment_create(client=client, user=world.admin)
        AssessmentVersion.objects.bulk_create(
            AssessmentVersion(
                organization=world.organization,
                assessment=assessment,
                number=i + 1,
                answers={},
                created_by=world.admin,
            )
            for i in range(rows)
        )
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get(f"{URL}{assessment.id}/versions/", {"page_size": 200})
    assert response.json()["count"] == rows
