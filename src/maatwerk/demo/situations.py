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
