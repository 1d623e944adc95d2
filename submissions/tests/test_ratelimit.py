"""The share form's limits hold under parallel requests: the count is taken atomically
in the database, so requests arriving together cannot all pass a check made before any
of them counted (as a read-then-increment did)."""

import threading

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from consent.factories import ConsentTextFactory
from consent.models import Consent
from submissions import ratelimit
from submissions.models import RateLimitCounter
from submissions.tests.utils import form_data

PARALLEL = 12


def in_parallel(function, count=PARALLEL):
    """Run ``function`` in ``count`` threads released together; their results."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = function()
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class ParallelRateLimitTests(TransactionTestCase):
    # The share form needs the roles and workflows the data migrations create.
    serialized_rollback = True

    def test_parallel_submissions_store_no_more_than_the_limit(self):
        text = ConsentTextFactory()

        def post():
            return (
                Client()
                .post(reverse("submissions:share"), form_data(text), REMOTE_ADDR="198.51.100.7")
                .status_code
            )

        statuses = in_parallel(post)
        self.assertEqual(sorted(set(statuses)), [302, 429])
        self.assertEqual(statuses.count(302), ratelimit.SUBMISSIONS_PER_WINDOW)
        self.assertEqual(Consent.objects.count(), ratelimit.SUBMISSIONS_PER_WINDOW)

    def test_each_parallel_hit_gets_its_own_count(self):
        counts = in_parallel(lambda: ratelimit.hit("attempt", "203.0.113.5"), count=20)
        self.assertEqual(sorted(counts), list(range(1, 21)))
        self.assertEqual(RateLimitCounter.objects.get().count, 20)

    def test_old_windows_are_deleted(self):
        RateLimitCounter.objects.create(kind="attempt", address="x", period=1, count=3)
        ratelimit.hit("attempt", "203.0.113.5")
        self.assertFalse(RateLimitCounter.objects.filter(address="x").exists())
