"""Demo early signals (issue 15, item 4): a landlord and an energy company of Gemeente Wadwijk,
postcode areas for its two teams, and a few signals in the queues (one crisis, one central)."""

from datetime import date, timedelta

from maatwerk.accounts.models import Team
from maatwerk.partners import services
from maatwerk.partners.models import Partner, PartnerType, PostcodeArea

AREAS = {"Wijkteam Wadwijk-Noord": (9990, 9994), "Wijkteam Wadwijk-Zuid": (9995, 9999)}


def load_early_signals(admin) -> None:
    organisation = Team.objects.get(name="Wijkteam Wadwijk-Noord").organisation
    if Partner.objects.filter(organisation=organisation).exists():
        return  # loaded before
    for name, (start, end) in AREAS.items():
        area = PostcodeArea(
            organisation=organisation, team=Team.objects.get(name=name), start=start, end=end
        )
        area.full_clean()
        area.save()
        services.record_postcode_area(actor=admin, area=area, created=True)
    landlord = services.create_partner(
        actor=admin, organisation=organisation, name="Woonstichting Wadwijk", type=PartnerType.RENT
    )
    energy = services.create_partner(
        actor=admin, organisation=organisation, name="Energie Wadwijk", type=PartnerType.ENERGY
    )
    today = date.today()
    rent = {
        "reminder_date": today - timedelta(days=30),
        "personal_contact_sought": True,
        "pointed_to_debt_help": True,
        "no_objection": True,
    }

    def signal(n, postcode, **values):
        return {
            "partner_signal_id": f"DEMO-{n}", "kind": "vroeg", "amount": 850,
            "signal_date": today, "postcode": postcode, "house_number": 10 + n,
            "birth_date": date(1975 + n, 3, 14), "rent": rent, **values,
        }  # fmt: skip

    services.receive(
        partner=landlord,
        signals=[
            signal(1, "9991AB", crisis=True, amount=2400),
            signal(2, "9992CD"),
            signal(3, "9996EF"),
            signal(4, "1234AB"),  # no team's area: the central queue
        ],
    )
    services.receive(
        partner=energy,
        signals=[
            signal(
                5, "9993GH", kind="eindelevering", supply_end_date=today + timedelta(14), rent=None
            )
        ],
    )
    _load_handover_and_tombstone(organisation, landlord, signal, today)


def _load_handover_and_tombstone(organisation, landlord, signal, today) -> None:
    """A warm handover from Werk en Inkomen for Noord, and a landlord's signal of eight months
    ago never picked up, whose person data the retention period destroyed (a tombstone)."""
    from django.utils import timezone

    from maatwerk.accounts.models import Membership
    from maatwerk.accounts.roles import Role
    from maatwerk.partners.models import EarlySignal

    noord = Team.objects.get(name="Wijkteam Wadwijk-Noord")
    member = Membership.objects.filter(team=noord, role=Role.WORKER).select_related("user").first()
    if member is not None:
        services.record_handover(
            actor=member.user,
            team=noord,
            department_name="Werk en Inkomen",
            postcode="9991XY",
            house_number=7,
            birth_date=date(1988, 6, 2),
            phone="0612345678",
        )
    rent = {
        "reminder_date": today - timedelta(days=275),
        "personal_contact_sought": True,
        "pointed_to_debt_help": True,
        "no_objection": True,
    }
    [old] = services.receive(
        partner=landlord,
        signals=[
            signal(6, "9992KL", signal_date=today - timedelta(days=245), amount=1200, rent=rent)
        ],
    )
    # Demo data only: the signal arrived eight months ago (received_at is set on arrival).
    EarlySignal.objects.filter(pk=old.signal.pk).update(
        received_at=timezone.now() - timedelta(days=245)
    )
    services.destroy_expired_signals(now=timezone.now())
