"""A director's start page (fixB): the decision inbox is the main button only while a plan
waits for them; with none waiting the page says so and has no primary button for it."""

from maatwerk.accounts.roles import Role

from ..factories import TeamFactory, user_with_role
from ..plan_helpers import home_page


def test_director_with_nothing_waiting_gets_no_primary_inbox_button(client, db):
    director = user_with_role(Role.DIRECTOR, TeamFactory())
    body = home_page(client, director)
    assert "Er wacht geen plan op uw besluit." in body
    assert "utrecht-button-link--primary-action" not in body
    assert "Naar de plannen die op uw besluit wachten" not in body
