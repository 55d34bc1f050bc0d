"""The OpenAPI document validates, with no warnings (typed path ids, unambiguous enums)."""

from django.core.management import call_command


def test_schema_generates_and_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for resource in (
        "clients",
        "assessments",
        "pricing-tiers",
        "assumption-sets",
        "analyses",
        "jobs",
        "proposals",
        "share-links",
    ):
        assert f"/api/v1/{resource}/" in text, resource
