"""The dashboard gathers each app's panel; it shows this organisation's work only."""

import pytest

from apps.clients.services import client_create


def _clients(world, n):
    with world.context():
        for i in range(n):
            client_create(user=world.salesperson, name=f"Prospect {i:03d}")


def test_dashboard_shows_recent_clients_and_the_flow(world, other_world):
    _clients(world, 2)
    _clients(other_world, 1)
    body = world.salesperson_client().get("/dashboard/").content.decode()
    assert "From discovery to signature" in body
    assert "Prospect 001" in body and "Prospect 000" in body
    assert 'id="dashboard-analyses"' in body and 'id="dashboard-clients"' in body
    assert 'id="dashboard-proposals"' in body
    other = other_world.salesperson_client().get("/dashboard/").content.decode()
    assert other.count("Prospect 0") == 1


@pytest.mark.parametrize("rows", [5, 200])
def test_dashboard_query_count_does_not_grow_with_rows(world, rows, django_assert_max_num_queries):
    _clients(world, rows)
    client = world.salesperson_client()
    client.get("/dashboard/")  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get("/dashboard/")
    assert response.status_code == 200


def test_dashboard_lists_this_organisations_proposals(world, other_world):
    from apps.proposals.testing import make_proposal

    mine = make_proposal(world)
    theirs = make_proposal(other_world)
    body = world.salesperson_client().get("/dashboard/").content.decode()
    assert f"/proposals/{mine.id}/" in body
    assert f"/proposals/{theirs.id}/" not in body
