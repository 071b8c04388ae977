"""Fictional household situations that resemble real wijkteam work. No real person's data:
names are combined at random from common Dutch first and last names."""

FIRST_NAMES = [
    "Anouk", "Sanne", "Fatima", "Mohammed", "Kevin", "Priya", "Jan", "Marieke", "Ilse", "Dennis",
    "Yasmina", "Tim", "Esra", "Ruben", "Lotte", "Noah", "Sophie", "Daan", "Emma", "Ayoub",
    "Chantal", "Ricardo", "Naima", "Bram", "Merel", "Samira", "Joost", "Elif", "Gert", "Linda",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "El Amrani", "Yilmaz", "Mulder",
    "de Boer", "Bos", "Vos", "Peters", "Hendriks", "Kaya", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "Kramer", "Ramdin", "Postma", "van Dam", "Koster", "Verhoeven",
]  # fmt: skip

# (short description, goal in the resident's own words, first step, household shape)
# shape: list of (role, age) with role in {"adult", "child"}
SITUATIONS = [
    ("Kinderopvangtoeslag verrekend met belastingschuld; baan op de tocht",
     "Ik wil mijn baan houden en de kinderen goed opgevangen weten.",
     "Met Toeslagen bellen over de verrekening.", [("adult", 34), ("child", 4), ("child", 7)]),
    ("Huurachterstand van vier maanden, dreigende ontruiming",
     "Ik wil in dit huis blijven wonen met mijn zoon.",
     "Afspraak met de woningcorporatie over een betalingsregeling.",
     [("adult", 41), ("child", 12)]),
    ("Kostendelersnorm na inwonen volwassen zoon met psychische klachten",
     "Mijn zoon moet bij mij kunnen blijven tot hij een eigen plek heeft.",
     "Uitzoeken of afwijken van de kostendelersnorm kan.", [("adult", 56), ("adult", 24)]),
    ("Fraudevordering blokkeert schuldregeling",
     "Ik wil van mijn schulden af en weer rust hebben.",
     "Gesprek met schuldhulpverlening over de vordering.", [("adult", 38)]),
    ("Energieleverancier dreigt af te sluiten in de winter",
     "Warm kunnen wonen met de kinderen.",
     "Contact met de energieleverancier over uitstel.",
     [("adult", 29), ("child", 2), ("child", 5)]),
    ("Jongere van 19 zonder inkomen na uitstroom jeugdzorg",
     "Een eigen kamer en een opleiding afmaken.",
     "Aanvraag levensonderhoud en gesprek met school.", [("adult", 19)]),
    ("Wanbetalersregeling zorgverzekering, premie loopt op",
     "Weer gewoon verzekerd zijn zonder boete.",
     "Aanmelden bij schuldhulp zodat de CAK-regeling stopt.", [("adult", 47), ("adult", 45)]),
    ("Giften van familie gekort op bijstand",
     "Dat mijn moeder mij mag helpen met boodschappen.",
     "Nagaan of de giftenvrijlating van toepassing is.", [("adult", 33), ("child", 9)]),
    ("Ex-partner staat nog ingeschreven op het adres",
     "Dat ik mijn eigen toeslagen weer krijg.",
     "Gesprek met Burgerzaken over de inschrijving.", [("adult", 36), ("child", 3)]),
    ("Mantelzorger overbelast, moeder met dementie woont in",
     "Voor mijn moeder zorgen zonder zelf om te vallen.",
     "Respijtzorg en huishoudelijke hulp regelen.", [("adult", 52), ("adult", 81)]),
    ("Schoolverzuim en schulden, vader werkloos geworden",
     "Dat mijn kinderen weer naar school gaan en wij rondkomen.",
     "Samen met school en UWV een plan maken.", [("adult", 44), ("adult", 42), ("child", 14),
                                                   ("child", 16)]),
    ("Beschermingsbewind aangevraagd, intake laat op zich wachten",
     "Overzicht over mijn geld.",
     "Tijdelijk budgetbeheer regelen.", [("adult", 61)]),
]  # fmt: skip

# Per situation above (same order): life domains in trouble, organisations involved, and a few
# timeline notes (days ago, kind, text).
SITUATION_DETAILS = [
    (["income", "debts", "work"], ["tax_allowances", "municipality_work_income"],
     [(20, "event", "Intakegesprek thuis; brief van Toeslagen samen gelezen."),
      (6, "note", "Werkgever wil meedenken als de opvang geregeld is.")]),
    (["housing", "debts"], ["housing_corporation", "debt_assistance"],
     [(15, "event", "Aanmaning ontruiming ontvangen."),
      (4, "note", "Corporatie staat open voor een regeling als er begeleiding is.")]),
    (["income", "mental_health", "housing"], ["municipality_work_income", "mental_health_care"],
     [(10, "note", "Zoon is in behandeling bij de GGZ; eigen woning nog niet in zicht.")]),
    (["debts", "income", "justice"], ["debt_assistance", "municipality_work_income"],
     [(12, "event", "Schuldhulp wijst toelating af zolang de fraudevordering loopt.")]),
    (["housing", "debts", "upbringing"], ["energy_supplier", "debt_assistance"],
     [(3, "event", "Afsluitbrief energieleverancier ontvangen.")]),
    (["income", "education", "housing"], ["youth_care", "school", "municipality_work_income"],
     [(9, "note", "School wil helpen met een aangepast rooster.")]),
    (["debts", "physical_health"], ["cak", "health_insurer", "debt_assistance"],
     [(30, "event", "Brief van het CAK over de bestuursrechtelijke premie.")]),
    (["income", "social_network"], ["municipality_work_income"],
     [(7, "note", "Moeder helpt wekelijks met boodschappen; korting loopt op.")]),
    (["income", "housing"], ["municipality_brp", "tax_allowances"],
     [(14, "note", "Ex-partner reageert niet op verzoek tot uitschrijving.")]),
    (["physical_health", "social_network", "mental_health"], ["health_insurer", "other"],
     [(5, "note", "Mantelzorger slaapt slecht; respijtzorg besproken.")]),
    (["education", "debts", "work", "upbringing"], ["school", "uwv"],
     [(18, "event", "Leerplichtambtenaar heeft gebeld."),
      (2, "note", "Vader heeft een afspraak bij het UWV.")]),
    (["debts", "income"], ["administrator", "debt_assistance"],
     [(25, "event", "Bewindvoering aangevraagd bij de rechtbank.")]),
]  # fmt: skip

# Made-up BSNs for two demo residents: they pass the eleven-test but start with 999, a range
# never issued to real people (used for test numbers).
DEMO_BSNS = ["999000007", "999000019"]
