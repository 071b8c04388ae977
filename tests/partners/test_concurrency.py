"""Idempotency under races (PostgreSQL): partners that resend a batch before the first answer
arrives get one signal per `partnerSignaalId`, and every request an answer."""

import threading

import pytest
from django.db import connection

from maatwerk.partners import services
from maatwerk.partners.models import EarlySignal

from ..factories import TeamFactory, user_with_role
from .conftest import rent_signal

THREADS = 8


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to lose"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_at_once_creates_each_signal_once():
    from maatwerk.accounts.roles import Role
    from maatwerk.partners.api import validate_all

    admin = user_with_role(Role.ADMIN, TeamFactory())
    partner = services.create_partner(
        actor=admin, organisation=admin.organisation, name="Woonstichting Race", type="Huur"
    )
    batch = validate_all([rent_signal(n) for n in range(50)])
    barrier = threading.Barrier(THREADS)
    answers: list[object] = []

    def send():
        try:
            barrier.wait()
            outcomes = services.receive(partner=partner, signals=batch)
            answers.append(sorted(o.signal.public_id.hex for o in outcomes))
        except Exception as error:  # any failure must show in the test
            answers.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert EarlySignal.objects.filter(partner=partner).count() == 50
    assert all(isinstance(a, list) for a in answers), answers
    assert len({tuple(a) for a in answers}) == 1  # every request names the same 50 signals
