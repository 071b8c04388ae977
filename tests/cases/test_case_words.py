"""Words on the case pages (walk finding 18): the "u" form, and the obstacle form's either/or."""

from django.urls import reverse

from maatwerk.accounts.roles import Role


def test_case_page_asks_in_the_u_form(client, world):
    client.force_login(world["users"][Role.WORKER])
    body = client.get(reverse("cases:detail", args=[world["case_a"].pk])).content.decode()
    assert "Waar wilt u naartoe?" in body and "wil je" not in body


def test_obstacle_form_explains_the_either_or_instead_of_optional(client, world):
    client.force_login(world["users"][Role.WORKER])
    body = client.get(reverse("cases:add_obstacle", args=[world["case_a"].pk])).content.decode()
    rule = body[body.index('for="id_blocking_rule"') : body.index('id="id_blocking_rule"')]
    assert "Kies een bekende regel of beschrijf hieronder een nieuwe." in rule
    assert "optioneel" not in rule
    start = body.index('for="id_description_new_rule"')
    new = body[start : body.index("<textarea", start)]
    assert "optioneel" not in new
