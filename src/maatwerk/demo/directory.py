"""The demo directory of outside organisations (issue 12, point 1).

Only facts that are real and general: the names of national organisations, their main websites
and the channels they are known to offer. No phone numbers or postal addresses: a contact point
says "zie website" where the address for formal requests is not known for certain. The housing
corporation, the municipal department and the doorbraaktafel belong to the fictional demo town
Wadwijk and say so.
"""

from maatwerk.core.choices import OrganisationType as T

SEE_WEBSITE = "Zie website"

# name: (organisation type, category, website, notes, [(department, channel, address, formal)])
DIRECTORY = {
    "Belastingdienst/Toeslagen": (
        T.TAX_ALLOWANCES, "cooperation", "https://www.belastingdienst.nl",
        "Huurtoeslag, zorgtoeslag, kinderopvangtoeslag en kindgebonden budget; terugvorderingen "
        "en verrekeningen.",
        [
            ("BelastingTelefoon", "phone", SEE_WEBSITE, False),
            ("Mijn toeslagen", "portal", SEE_WEBSITE, False),
            ("Toeslagen: schriftelijk verzoek", "letter", SEE_WEBSITE, True),
        ],
    ),
    "UWV": (
        T.UWV, "cooperation", "https://www.uwv.nl",
        "WW, WIA, Wajong, ZW; terugvorderingen van uitkeringen.",
        [
            ("Klantcontact", "phone", SEE_WEBSITE, False),
            ("Mijn UWV", "portal", SEE_WEBSITE, True),
        ],
    ),
    "CAK": (
        T.CAK, "cooperation", "https://www.hetcak.nl",
        "Eigen bijdrage Wmo en Wlz; regeling wanbetalers zorgverzekering (bestuursrechtelijke "
        "premie).",
        [
            ("Klantenservice", "phone", SEE_WEBSITE, False),
            ("Mijn CAK", "portal", SEE_WEBSITE, True),
        ],
    ),
    "SVB": (
        T.SVB, "cooperation", "https://www.svb.nl",
        "AOW, kinderbijslag en ANW.",
        [
            ("Klantcontact", "phone", SEE_WEBSITE, False),
            ("Mijn SVB", "portal", SEE_WEBSITE, True),
        ],
    ),
    "CJIB": (
        T.CJIB, "cooperation", "https://www.cjib.nl",
        "Schuldeiser bij verkeersboetes en strafrechtelijke boetes; betalingsregelingen.",
        [("Klantcontact", "phone", SEE_WEBSITE, False)],
    ),
    "Zorgverzekeraar van de bewoner (schuldeiser)": (
        T.HEALTH_INSURER, "cooperation", "",
        "Een soort schuldeiser, geen bepaalde verzekeraar: noem in het verzoek welke "
        "zorgverzekeraar het is. Premieachterstand en betalingsregeling.",
        [("Afdeling incasso", "phone", "Zie de polis of website van de verzekeraar", False)],
    ),
    "Woonstichting Wadwijk (demo)": (
        T.HOUSING_CORPORATION, "cooperation", "",
        "Woningcorporatie van de demogemeente: huurachterstand, ontruiming, urgentie.",
        [
            ("Huurincasso", "phone", SEE_WEBSITE, False),
            ("Wijkconsulent", "meeting", "Via het wijkteamoverleg", False),
        ],
    ),
    "Gemeente Wadwijk – Werk en Inkomen (demo)": (
        T.MUNICIPALITY_WORK_INCOME, "cooperation", "",
        "Eigen afdeling van de demogemeente: bijstand, bijzondere bijstand, terugvorderingen.",
        [("Bijzondere bijstand", "email", "Zie intranet", True)],
    ),
    "Landelijk Maatwerkloket": (
        T.OTHER, "escalation", "",
        "Voor knelpunten in regels of werkwijzen van landelijke uitvoeringsorganisaties, als "
        "het niet lukt om er in één casus samen uit te komen.",
        [("Aanmelden casus", "portal", SEE_WEBSITE, True)],
    ),
    "Doorbraaktafel regio Wadwijk (demo)": (
        T.MUNICIPALITY, "escalation", "",
        "Regionale doorbraaktafel: gemeente, corporatie, zorg en uitvoeringsorganisaties zoeken "
        "samen een doorbraak in één vastgelopen casus.",
        [("Secretariaat", "email", "Zie intranet", True)],
    ),
}  # fmt: skip


def load_directory(admin) -> None:
    """The directory as the functional administrator enters it on the directory pages
    (idempotent: organisations already there stay as they are)."""
    from maatwerk.cooperation import services
    from maatwerk.cooperation.models import ExternalOrganisation

    for name, (kind, category, website, notes, points) in DIRECTORY.items():
        if ExternalOrganisation.objects.filter(name=name).exists():
            continue
        organisation = services.save_organisation(
            admin,
            name=name,
            organisation_type=kind,
            category=category,
            website=website,
            notes=notes,
        )
        for department, channel, address, formal in points:
            services.save_contact_point(
                admin,
                organisation,
                department=department,
                channel=channel,
                address=address,
                notes="",
                for_formal_requests=formal,
            )


def load_requests(worker) -> None:
    """Two requests as the demo worker recorded them (idempotent): one to UWV still awaiting
    its answer, with two contacts, and one the housing corporation refused, with its reason (a
    case to escalate). Not on DEMO-0001, whose approved plan the Toeslagen journey uses."""
    from datetime import timedelta

    from django.utils import timezone

    from maatwerk.cases.selectors import writable_team_ids
    from maatwerk.cooperation import services
    from maatwerk.cooperation.models import CooperationRequest, ExternalOrganisation
    from maatwerk.plans.models import Plan

    if CooperationRequest.objects.exists():
        return
    plans = list(
        Plan.objects.filter(
            author=worker,
            status__in=[Plan.Status.APPROVED, Plan.Status.PARTLY_PAID, Plan.Status.SUBMITTED],
            case__team_id__in=writable_team_ids(worker),
        )
        .exclude(case__household__reference="DEMO-0001")
        .select_related("case")
        .order_by("pk")[:2]
    )
    if len(plans) < 2:
        return
    today = timezone.localdate()
    uwv = ExternalOrganisation.objects.get(name="UWV")
    housing = ExternalOrganisation.objects.get(name="Woonstichting Wadwijk (demo)")
    waiting = services.create_request(
        worker,
        case=plans[0].case,
        plan=plans[0],
        organisation=uwv,
        contact_point=uwv.contact_points.filter(for_formal_requests=True).first(),
        question="Schort de terugvordering van de WW op zolang het maatwerkplan loopt.",
        consent_on=today - timedelta(days=12),
        consent_scope="Naam, BSN en het besluit over de terugvordering; verder niets.",
        send=True,
        sent_on=today - timedelta(days=10),
    )
    services.add_contact(
        worker, waiting, channel="phone", minutes=20, occurred_on=today - timedelta(days=10)
    )
    services.add_contact(
        worker, waiting, channel="email", minutes=10, occurred_on=today - timedelta(days=3)
    )
    refused = services.create_request(
        worker,
        case=plans[1].case,
        plan=plans[1],
        organisation=housing,
        question="Houd de ontruimingsprocedure aan zolang de schuldregeling loopt.",
        consent_on=today - timedelta(days=31),
        consent_scope="Naam, adres en de stand van de schuldregeling.",
        send=True,
        sent_on=today - timedelta(days=30),
    )
    services.add_contact(
        worker, refused, channel="phone", minutes=30, occurred_on=today - timedelta(days=25)
    )
    services.add_contact(
        worker, refused, channel="meeting", minutes=45, occurred_on=today - timedelta(days=12)
    )
    services.record_answer(
        worker,
        refused,
        answer="refused",
        reason="De corporatie wil eerst drie maanden een betalingsregeling zien.",
        answered_on=today - timedelta(days=5),
    )
    # Earlier requests to UWV, answered: enough (five or more) for the figures per organisation
    # to show UWV's row instead of "< 5" (the demo's Toeslagen row stays below five until the
    # Toeslagen journey adds its request).
    history = [
        # sent (days ago), answer, days to the answer, minutes on the phone
        (250, "agreed", 21, 35),
        (190, "agreed", 12, 20),
        (130, "partly", 30, 55),
        (95, "refused", 18, 40),
        (60, "agreed", 9, 15),
    ]
    for sent_ago, answer, days, minutes in history:
        earlier = services.create_request(
            worker,
            case=plans[0].case,
            plan=plans[0],
            organisation=uwv,
            question="Pas de verrekening van de uitkering aan zolang het maatwerkplan loopt.",
            consent_on=today - timedelta(days=sent_ago + 1),
            consent_scope="Naam, BSN en de hoogte van de uitkering.",
            send=True,
            sent_on=today - timedelta(days=sent_ago),
        )
        services.add_contact(
            worker,
            earlier,
            channel="phone",
            minutes=minutes,
            occurred_on=today - timedelta(days=sent_ago - 2),
        )
        services.record_answer(
            worker,
            earlier,
            answer=answer,
            reason="" if answer == "agreed" else "Alleen binnen de wettelijke beslagvrije voet.",
            answered_on=today - timedelta(days=sent_ago - days),
        )
