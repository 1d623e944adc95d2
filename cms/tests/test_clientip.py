from django.test import RequestFactory, SimpleTestCase

from core.clientip import client_ip

# The client wrote the first entry itself; our proxies appended the others.
FORGED_CHAIN = "1.2.3.4, 198.51.100.23, 10.0.0.5"


def request(forwarded=FORGED_CHAIN, remote="10.0.0.2"):
    return RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


class ClientIpTests(SimpleTestCase):
    def test_without_trusted_proxies_only_the_connection_counts(self):
        with self.settings(TRUSTED_PROXY_COUNT=0):
            self.assertEqual(client_ip(request()), "10.0.0.2")

    def test_one_proxy_the_address_it_appended(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(client_ip(request()), "10.0.0.5")

    def test_two_proxies_the_address_the_outer_one_saw(self):
        # A CDN then our nginx: the last entry is the CDN; the one before, the client.
        with self.settings(TRUSTED_PROXY_COUNT=2):
            self.assertEqual(client_ip(request()), "198.51.100.23")

    def test_a_forged_prefix_never_wins(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(client_ip(request("6.6.6.6, 203.0.113.9")), "203.0.113.9")

    def test_fewer_entries_than_proxies(self):
        with self.settings(TRUSTED_PROXY_COUNT=2):
            self.assertEqual(client_ip(request("203.0.113.9")), "203.0.113.9")

    def test_no_header_falls_back_to_the_connection(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(client_ip(request("")), "10.0.0.2")

    def test_garbage_is_no_address(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertIsNone(client_ip(request("not-an-ip\x00")))

    def test_ipv6_is_normalised(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(client_ip(request("2001:DB8:0:0::1")), "2001:db8::1")
