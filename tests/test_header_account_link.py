"""The header's link to the user's security page reads naturally for a screen reader
("Beveiliging van <naam>", walk finding of issue 13), and its name contains the visible text
(WCAG 2.5.3, label in name)."""

import re

from django.urls import reverse

from maatwerk.accounts.roles import Role

from .factories import TeamFactory, user_with_role


def test_the_account_link_is_named_security_of_the_user(client, db):
    user = user_with_role(Role.WORKER, TeamFactory())
    user.first_name, user.last_name = "Anna", "de Vries"
    user.save()
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    link = re.search(r'<a [^>]*id="account-link"[^>]*>(.*?)</a>', body).group(0)
    assert 'aria-label="Beveiliging van Anna de Vries"' in link
    assert ">Anna de Vries</a>" in link and ": Beveiliging" not in link
