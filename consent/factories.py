import datetime

import factory
from django.utils import timezone

from consent.models import Channel, Consent, ConsentText, Identifier, Patient

FIRST_NAMES = (
    "Aurelie",
    "Bartholomew",
    "Cosima",
    "Dashiell",
    "Evander",
    "Florentyna",
    "Ignatius",
    "Leocadia",
    "Octavian",
    "Perpetua",
    "Quentin",
    "Seraphina",
    "Thaddeus",
    "Wilhelmina",
)
LAST_NAMES = (
    "Abernethy",
    "Fairbairn",
    "Kowalczyk",
    "Ollerenshaw",
    "Pemberton",
    "Quackenbush",
    "Rutherford",
    "Szczepanski",
    "Vandermeer",
    "Wetherell",
    "Xenakis",
    "Yardley",
    "Zabriskie",
)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    # Names no test text contains: the publish check refuses content that shows a
    # patient's name, and a Faker name that is also a word ("Day", "Mark", "Page") made
    # tests fail at random. 14 and 13 names: 182 patients before a pair repeats.
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    legal_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    date_of_birth = datetime.date(1972, 3, 14)
    town = "Springfield"
    email = factory.Sequence(lambda n: f"patient{n}@example.org")


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText

    version = factory.Sequence(lambda n: n + 1)
    title = "Consent to share your story"
    body = "I agree that the clinic may publish my testimonial or story for marketing."
    how_to_revoke = (
        "I can withdraw at any time with the one-click link in my receipt email, or by "
        "telling the clinic in any way."
    )
    treatment_not_conditional = "My treatment does not depend on whether I sign."
    redisclosure_notice = (
        "Once published, others may copy and share my story, and it is then no longer "
        "protected by privacy law."
    )
    payment_statement = "The clinic receives no payment from anyone for this marketing."


class ConsentFactory(factory.django.DjangoModelFactory):
    """An electronic, unverified (pending) consent for the website, a year long."""

    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    text = factory.SubFactory(ConsentTextFactory)
    identifiers = factory.LazyFunction(
        lambda: [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.CONDITION]
    )
    channels = factory.LazyFunction(lambda: [Channel.WEBSITE])
    signed_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.signed_at) + datetime.timedelta(days=365)
    )
    method = Consent.Method.ELECTRONIC
    signature_name = factory.LazyAttribute(lambda o: o.patient.legal_name)
    signature_ip = "203.0.113.7"
    signature_user_agent = "Mozilla/5.0"
