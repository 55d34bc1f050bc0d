"""The assessment page: per-section autosave (HTMX), reload safety, completion, questions."""

import pytest

from apps.assessments.demo import complete_answers
from apps.assessments.models import Assessment, CustomQuestion
from apps.assessments.services import assessment_create, custom_question_create
from apps.assessments.tests.test_api import make_assessments
from apps.clients.services import client_create

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(world):
    with world.context():
        client = client_create(user=world.salesperson, name="Harbor Dental")
        return assessment_create(client=client, user=world.salesperson)


def test_new_assessment_from_the_client_page(world):
    with world.context():
        client = client_create(user=world.salesperson, name="Harbor Dental")
    response = world.salesperson_client().post(f"/assessments/new/{client.id}/")
    assert response.status_code == 302
    with world.context():
        assessment = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{assessment.id}/"


def test_partially_filled_section_survives_a_reload(world, assessment):
    browser = world.salesperson_client()
    url = f"/assessments/{assessment.id}/sections/company/"
    response = browser.post(url, {"users": "25", "annual_revenue": "4000000"}, **HTMX)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    page = browser.get(f"/assessments/{assessment.id}/").content.decode()
    assert 'name="users" value="25"' in page
    assert 'name="annual_revenue" value="4000000"' in page


def test_invalid_field_does_not_discard_the_others(world, assessment):
    browser = world.salesperson_client()
    url = f"/assessments/{assessment.id}/sections/company/"
    response = browser.post(url, {"users": "25", "sites": "-2", "named_accounts": "lots"}, **HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Saved, except 2 values to fix" in text
    assert 'id="fb-f-company-sites" class="feedback" hx-swap-oob="true"' in text
    assert "Must be at least 1." in text
    with world.context():
        assessment.refresh_from_db()
    assert assessment.answers["company"]["users"] == 25
    assert assessment.draft_values["company"] == {"sites": "-2", "named_accounts": "lots"}
    # After a reload the typed values and their errors are still there.
    page = browser.get(f"/assessments/{assessment.id}/").content.decode()
    assert 'name="sites" value="-2"' in page
    assert 'name="named_accounts" value="lots"' in page
    assert "Enter a number." in page


def test_cross_field_rule_is_a_warning_and_saves(world, assessment):
    browser = world.salesperson_client()
    browser.post(f"/assessments/{assessment.id}/sections/company/", {"users": "25"}, **HTMX)
    response = browser.post(
        f"/assessments/{assessment.id}/sections/endpoints/",
        {"desktops": "10", "laptops": "5"},
        **HTMX,
    )
    text = response.content.decode()
    assert "15 computers for 25 users" in text
    assert "Saved, except" not in text  # a warning, not an error
    with world.context():
        assessment.refresh_from_db()
    assert assessment.answers["endpoints"] == {"desktops": 10, "laptops": 5}


def test_section_feedback_shows_completeness_and_readiness(world, assessment):
    response = world.salesperson_client().post(
        f"/assessments/{assessment.id}/sections/company/",
        {"users": "25", "sites": "1", "annual_revenue": "100"},
        **HTMX,
    )
    text = response.content.decode()
    assert 'id="badge-company"' in text
    assert "4/10 answered" in text  # users, sites, revenue + the 2080-hour default
    assert 'id="readiness"' in text
    assert "Endpoints: Desktops" in text


def test_plain_post_without_javascript_redirects_back_to_the_section(world, assessment):
    response = world.salesperson_client().post(
        f"/assessments/{assessment.id}/sections/network/", {"firewalls": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#s-network")


def test_multichoice_can_be_cleared(world, assessment):
    browser = world.salesperson_client()
    url = f"/assessments/{assessment.id}/sections/compliance/"
    browser.post(url, {"frameworks": ["", "hipaa", "soc2"]}, **HTMX)
    with world.context():
        assessment.refresh_from_db()
    assert assessment.answers["compliance"]["frameworks"] == ["hipaa", "soc2"]
    browser.post(url, {"frameworks": [""]}, **HTMX)
    with world.context():
        assessment.refresh_from_db()
    assert "compliance" not in assessment.answers


def test_unknown_section_is_404(world, assessment):
    response = world.salesperson_client().post(f"/assessments/{assessment.id}/sections/weather/")
    assert response.status_code == 404


def test_mark_complete_from_the_page(world, assessment):
    browser = world.salesperson_client()
    browser.post(f"/assessments/{assessment.id}/complete/")
    with world.context():
        assessment.refresh_from_db()
        assert assessment.status == "draft"
        assessment.answers = complete_answers()
        assessment.save()
    browser.post(f"/assessments/{assessment.id}/complete/")
    with world.context():
        assessment.refresh_from_db()
    assert assessment.status == "complete"
    page = browser.get(f"/assessments/{assessment.id}/").content.decode()
    assert "Version 1" in page
    version_page = browser.get(
        f"/assessments/{assessment.id}/versions/{assessment.current_version_id}/"
    )
    assert version_page.status_code == 200
    assert "Dentrix" in version_page.content.decode()


def test_meta_autosave(world, assessment):
    browser = world.salesperson_client()
    response = browser.post(
        f"/assessments/{assessment.id}/meta/",
        {"title": "Spring discovery", "assessed_on": "2026-03-01"},
        **HTMX,
    )
    assert "Saved" in response.content.decode()
    response = browser.post(
        f"/assessments/{assessment.id}/meta/", {"title": "", "assessed_on": "x"}, **HTMX
    )
    assert "This field is required." in response.content.decode()
    with world.context():
        assessment.refresh_from_db()
    assert assessment.title == "Spring discovery"
    assert str(assessment.assessed_on) == "2026-03-01"


def test_custom_question_appears_in_its_section_and_is_autosaved(world, assessment):
    with world.context():
        question = custom_question_create(
            user=world.admin, label="Preferred contact time?", section="company"
        )
    browser = world.salesperson_client()
    page = browser.get(f"/assessments/{assessment.id}/").content.decode()
    assert "Preferred contact time?" in page
    browser.post(
        f"/assessments/{assessment.id}/sections/company/",
        {f"custom_{question.id}": "Mornings"},
        **HTMX,
    )
    with world.context():
        assessment.refresh_from_db()
    assert assessment.answers["custom"] == {str(question.id): "Mornings"}


def test_custom_questions_page_is_for_admins(world):
    assert world.salesperson_client().get("/assessments/questions/").status_code == 403
    admin = world.admin_client()
    response = admin.post(
        "/assessments/questions/",
        {"label": "Printers?", "kind": "number", "section": "endpoints", "choices": ""},
    )
    assert response.status_code == 302
    with world.context():
        question = CustomQuestion.objects.get()
    response = admin.post(
        f"/assessments/questions/{question.id}/edit/",
        {"label": "Pick", "kind": "choice", "section": "endpoints", "choices": "only one"},
    )
    assert response.status_code == 400
    assert "Give at least two options." in response.content.decode()
    admin.post(f"/assessments/questions/{question.id}/archive/")
    with world.context():
        question.refresh_from_db()
    assert question.archived_at is not None


@pytest.mark.parametrize("rows", [5, 200])
def test_assessment_list_page_query_count_is_flat(world, rows, django_assert_max_num_queries):
    make_assessments(world, rows)
    browser = world.admin_client()
    with django_assert_max_num_queries(15):
        response = browser.get("/assessments/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_custom_questions_page_query_count_is_flat(world, rows, django_assert_max_num_queries):
    with world.context():
        CustomQuestion.objects.bulk_create(
            CustomQuestion(organization=world.organization, label=f"Q{i}", section="company")
            for i in range(rows)
        )
    browser = world.admin_client()
    with django_assert_max_num_queries(15):
        response = browser.get("/assessments/questions/")
    assert response.status_code == 200


def test_readiness_box_is_served_alone_and_saves_announce_themselves(world):
    from apps.assessments.models import Assessment

    client = world.salesperson_client()
    with world.context():
        assessment = Assessment.objects.order_by("id").first()
    if assessment is None:
        from apps.assessments.services import assessment_create
        from apps.clients.services import client_create

        with world.context():
            assessment = assessment_create(
                client=client_create(user=world.salesperson, name="Readiness Co"),
                user=world.salesperson,
            )
    box = client.get(f"/assessments/{assessment.id}/readiness/")
    assert box.status_code == 200
    assert 'id="readiness"' in box.content.decode()
    assert "Still needed" in box.content.decode()
    saved = client.post(
        f"/assessments/{assessment.id}/sections/company/",
        {"users": "12"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and saved["HX-Trigger-After-Settle"] == "assessment-saved"
