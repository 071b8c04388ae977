"""A warm handover from a department (issue 15): the same queue, its own label, no DDAS
creditor signal; and the case page's backlink to its signals, for the case's readers only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.partners import ddas, selectors, services
from maatwerk.partners.models import EarlySignal, PostcodeArea, Source
from tests.factories import CaseFactory, TeamFactory, user_with_role

from .conftest import BSN, make_partner


@pytest.fixture
def areas(world):
    org = world["team_a"].organisation
    north = TeamFactory(organisation=org, name="Wijkteam Noord")
    PostcodeArea.objects.create(organisation=org, team=north, start=9000, end=9099)
    return {"north": north}


@pytest.mark.django_db
def test_a_worker_records_a_handover_that_lands_in_the_queue_labelled(world, client, areas):
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    form = client.get("/vroegsignalen/warme-overdracht/")
    assert form.status_code == 200 and "Werk en Inkomen" in form.content.decode()
    response = client.post(
        "/vroegsignalen/warme-overdracht/",
        {"department": "Werk en Inkomen", "team": world["team_a"].pk, "bsn": BSN,
         "phone": "0612345678", "crisis": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    signal = EarlySignal.objects.get()
    assert response["Location"].endswith(f"/vroegsignalen/{signal.public_id}/")
    assert signal.partner.source == Source.DEPARTMENT and signal.partner.api_client is None
    assert signal.warm_handover and signal.crisis and signal.team == world["team_a"]
    queue = client.get("/vroegsignalen/").content.decode()
    assert str(signal.public_id) in queue and "warme overdracht van een afdeling" in queue
    assert [r.signal for r in selectors.queue(worker)] == [signal]
    event = AuditEvent.objects.get(object_type="partners.earlysignal", action="create")
    assert event.changes["department"] == "Werk en Inkomen" and BSN not in str(event.changes)
    # Not a creditor signal: not in the DDAS export, not in the report's counts.
    month = date.today().replace(day=1)
    assert (
        ddas.payload(world["team_a"].organisation, month, now=signal.received_at)["vroegsignalen"]
        == []
    )
    assert selectors.report_rows([world["team_a"].organisation_id], month, date(2100, 1, 1)) == []


@pytest.mark.django_db
def test_a_handover_follows_the_postcode_and_reuses_the_department(world, areas):
    worker = world["users"][Role.WORKER]
    first = services.record_handover(
        actor=worker, team=world["team_a"], department_name="Werk en Inkomen",
        postcode="9001 AA", house_number=4, birth_date=date(1990, 1, 1),
    )  # fmt: skip
    second = services.record_handover(
        actor=worker, team=world["team_a"], department_name=" Werk en Inkomen ",
        postcode="1234 AA", house_number=4, birth_date=date(1990, 1, 1),
    )  # fmt: skip
    assert first.team == areas["north"]  # the neighbourhood's team
    assert second.team == world["team_a"]  # no area: the worker's team
    assert first.partner == second.partner


@pytest.mark.django_db
def test_a_handover_is_refused_without_a_person_or_by_others(world, client):
    worker = world["users"][Role.WORKER]
    with pytest.raises(ValidationError):
        services.record_handover(actor=worker, team=world["team_a"], department_name="W&I")
    with pytest.raises(ValidationError):
        services.record_handover(
            actor=worker, team=world["team_a"], department_name="W&I", bsn="123456789"
        )
    make_partner(world, name="Woonstichting")
    with pytest.raises(ValidationError):
        services.record_handover(
            actor=worker, team=world["team_a"], department_name="Woonstichting", bsn=BSN
        )
    other = user_with_role(Role.WORKER, world["team_b"])
    with pytest.raises(PermissionDenied):
        services.record_handover(actor=other, team=world["team_a"], department_name="W&I", bsn=BSN)
    assert not EarlySignal.objects.exists()
    client.force_login(worker)
    response = client.post(
        "/vroegsignalen/warme-overdracht/",
        {"department": "Werk en Inkomen", "team": world["team_a"].pk, "postcode": "9001"},
    )
    assert response.status_code == 400 and not EarlySignal.objects.exists()
    client.force_login(world["users"][Role.MANAGER])
    assert client.get("/vroegsignalen/warme-overdracht/").status_code == 403


@pytest.mark.django_db
def test_the_case_page_lists_its_signals_for_its_readers_only(world, client):
    worker = world["users"][Role.WORKER]
    signal = services.record_handover(
        actor=worker, team=world["team_a"], department_name="Werk en Inkomen", bsn=BSN
    )
    case = world["case_a"]
    services.link_case(actor=worker, signal=signal, case=case)
    client.force_login(worker)
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert 'id="case-early-signals"' in page
    assert f"/vroegsignalen/{signal.public_id}/" in page and "Werk en Inkomen" in page
    assert BSN not in page
    # Another team's worker cannot read the case, so neither its signals.
    other = user_with_role(Role.WORKER, world["team_b"])
    assert selectors.signals_of_case(other, case) == []
    assert selectors.signals_of_case(worker, case) == [signal]
    # A case without signals shows no section.
    plain = CaseFactory(household__team=world["team_a"])
    plain.assigned_workers.add(worker)
    page = client.get(f"/casussen/{plain.pk}/")
    assert page.status_code == 200 and 'id="case-early-signals"' not in page.content.decode()
