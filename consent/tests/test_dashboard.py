"""What a consent officer sees first: consents awaiting verification on the dashboard,
with Verify as the main action there and in the listing; expiry dates as dates."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from consent.factories import ConsentFactory, ConsentTextFactory
from consent.tests.utils import Roles
from core.dates import date_and_distance


class OfficerDashboardTests(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())
        text = ConsentTextFactory()
        cls.active = ConsentFactory(
            text=text,
            obtained_by=cls.officer,
            expires_on=timezone.localdate() + datetime.timedelta(days=700),
        )
        cls.active.verify(cls.second_officer)
        cls.pending = ConsentFactory(text=text, patient__legal_name="Pat Pending")

    def setUp(self):
        self.client.force_login(self.officer)

    def panel(self, html):
        start = html.index('id="consents-awaiting-verification-section"')
        return html[start : html.index("</section>", start)]

    def test_the_dashboard_lists_consents_awaiting_verification_with_verify(self):
        html = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn("Consents awaiting verification", html)
        panel = self.panel(html)
        self.assertIn("Pat Pending", panel)
        verify_url = reverse("consent_consents:verify", args=[self.pending.pk])
        self.assertRegex(panel, rf'<a class="button button-small" href="{verify_url}"')
        self.assertNotIn(f"Consent #{self.active.pk}<", panel)
        # The panel comes before the expiring consents.
        self.assertLess(
            html.index("Consents awaiting verification"), html.index("Consents expiring")
        )

    def test_with_nothing_pending_the_panel_says_so(self):
        self.pending.verify(self.second_officer)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "No consent is waiting for verification.")

    def test_editors_do_not_get_the_panel(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(response, "Consents awaiting verification")
        self.assertNotContains(response, "Pat Pending")

    def test_verify_is_a_button_in_the_listing_row_not_in_the_menu(self):
        html = self.client.get(reverse("consent_consents:index")).content.decode()
        verify_url = reverse("consent_consents:verify", args=[self.pending.pk])
        button = re.search(rf'<a[^>]*href="{verify_url}"[^>]*>', html)
        self.assertIsNotNone(button, "no Verify link in the listing")
        self.assertIn("button-secondary", button.group(0))
        self.assertIn(f'aria-label="Verify {self.pending}"', button.group(0))
        # A verified consent has no Verify action at all.
        active_verify = reverse("consent_consents:verify", args=[self.active.pk])
        self.assertNotIn(active_verify, html)

    def test_future_expiry_dates_read_as_dates_not_just_now(self):
        html = self.client.get(reverse("consent_consents:index")).content.decode()
        self.assertNotIn("Just now", html)
        self.assertIn(date_and_distance(self.active.expires_on), html)
        self.assertRegex(
            date_and_distance(self.active.expires_on), r"^\w{3} \d+, \d{4}, in 23 months$"
        )
