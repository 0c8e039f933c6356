import random
import unittest
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

from componentize_py_types import Err
from wit_world.imports import types

import triage_sdk as sdk

from redmine_adapter import find

from tests import fake


def query(**kw):
    base = dict(queues=[], statuses=[], updated_since=None, native=None, page_size=3)
    base.update(kw)
    return types.TicketQuery(**base)


def epoch(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


class Backlog:
    """A Redmine list endpoint over fixed issues, honouring the window and offset as Redmine
    5.0 does: `updated_on>=T` is `> T - 1s` on the stored time, which has a fraction of a
    second (`_frac`, not rendered) on SQLite and PostgreSQL."""

    def __init__(self, issues):
        self.issues = issues

    @staticmethod
    def stored(i):
        return epoch(i["updated_on"]) + i.get("_frac", 0.0)

    def route(self, method, url, body):
        parts = urlsplit(url)
        if parts.path.endswith("/issue_statuses.json"):
            return fake.ok(fake.STATUSES)
        if parts.path.endswith("/projects.json"):
            return fake.ok(fake.PROJECTS)
        params = dict(parse_qsl(parts.query))
        since = params.get("updated_on", ">=").removeprefix(">=")
        floor = epoch(since) - 1 if since else float("-inf")
        rows = sorted((i for i in self.issues if self.stored(i) > floor),
                      key=lambda i: (self.stored(i), i["id"]))
        off, lim = int(params["offset"]), int(params["limit"])
        page = [{k: v for k, v in i.items() if k != "_frac"} for i in rows[off:off + lim]]
        return fake.ok({"issues": page, "total_count": len(rows), "offset": off, "limit": lim})


def scan(q, host):
    ids, cursor, pages = [], None, 0
    while True:
        page = find.find(q, cursor)
        pages += 1
        ids += [t.id for t in page.tickets]
        if page.next is None:
            return ids, pages
        cursor = page.next


class Paging(unittest.TestCase):
    def test_windows_slide_through_runs_of_equal_seconds(self):
        times = ["01", "02", "02", "02", "02", "03", "03", "04"]
        issues = [fake.issue(i + 1, f"2024-05-01T10:00:{t}Z") for i, t in enumerate(times)]
        host = fake.install(Backlog(issues).route, {"base_url": "http://r"})
        ids, pages = scan(query(), host)
        self.assertEqual(ids, [str(i) for i in range(1, 9)])
        urls = [u for _, u, _ in host.requests if "/issues.json" in u]
        self.assertTrue(all(u.startswith("http://r/issues.json?sort=updated_on%2Cid") for u in urls), urls)
        self.assertTrue(all("status_id=%2A" in u for u in urls))
        # After [01,02,02]: window 02 starts at its 2 returned less one, and drops those 2.
        self.assertIn("offset=1&status_id=%2A&updated_on=%3E%3D2024-05-01T10%3A00%3A02Z", urls[1])

    def test_the_second_before_the_window_is_not_returned_again(self):
        # Tens of issues a second with microsecond times, as a real Redmine stores them:
        # every moved window starts with the previous second's issues.
        rng = random.Random(7)
        issues, iid = [], 0
        for sec in range(10, 20):
            fracs = sorted(rng.random() for _ in range(rng.randint(1, 12)))
            for f in fracs:
                iid += 1
                issues.append(fake.issue(iid, f"2024-05-01T10:00:{sec}Z", _frac=f))
        for size in (1, 2, 3, 7, 100):
            fake.install(Backlog(issues).route, {"base_url": "http://r"})
            ids, _ = scan(query(page_size=size), None)
            self.assertEqual(ids, [str(i) for i in range(1, iid + 1)], f"pages of {size}")

    def test_whole_second_times_lose_nothing_either(self):
        # MySQL keeps whole seconds: `> T - 1s` is then exactly `>= T`.
        issues = [fake.issue(i + 1, f"2024-05-01T10:00:{10 + i // 4}Z") for i in range(30)]
        for size in (1, 3, 4, 5):
            fake.install(Backlog(issues).route, {"base_url": "http://r"})
            ids, _ = scan(query(page_size=size), None)
            self.assertEqual(ids, [str(i) for i in range(1, 31)], f"pages of {size}")

    def test_updated_since_drops_the_second_before(self):
        issues = [fake.issue(1, "2024-05-01T10:00:09Z", _frac=0.5), fake.issue(2, "2024-05-01T10:00:10Z", _frac=0.2),
                  fake.issue(3, "2024-05-01T10:00:11Z", _frac=0.1)]
        fake.install(Backlog(issues).route, {"base_url": "http://r"})
        q = query(updated_since="2024-05-01T10:00:10Z", page_size=1)
        self.assertEqual(find.find(q, None).total, 2)
        self.assertEqual(scan(q, None)[0], ["2", "3"])

    def test_the_last_issue_changed_during_the_scan_skips_nothing(self):
        issues = [fake.issue(i + 1, f"2024-05-01T10:00:{10 + i // 3}Z", _frac=0.1 * (i % 3 + 1)) for i in range(12)]
        backlog = Backlog(issues)
        fake.install(backlog.route, {"base_url": "http://r"})
        q = query(page_size=4)
        first = find.find(q, None)
        # The page's last issue changes: it moves to the end.
        moved = next(i for i in issues if str(i["id"]) == first.tickets[-1].id)
        moved.update(updated_on="2024-05-01T10:00:30Z")
        ids, cursor = [t.id for t in first.tickets], first.next
        while cursor:
            page = find.find(q, cursor)
            ids += [t.id for t in page.tickets]
            cursor = page.next
        self.assertEqual(set(ids), {str(i) for i in range(1, 13)})
        self.assertEqual(ids[-1], moved and str(moved["id"]))

    def test_advance_within_one_second_keeps_counting(self):
        state = {"since": "2024-05-01T10:00:02Z", "offset": 3}
        page = [fake.issue(i, "2024-05-01T10:00:02Z") for i in (4, 5)]
        self.assertEqual(find.advance(state, page, 10)["offset"], 5)
        self.assertIsNone(find.advance(state, page, 5))
        self.assertIsNone(find.advance(state, [], 10))

    def test_statuses_and_queues_become_parameters(self):
        host = fake.install(Backlog([]).route)
        page = find.find(query(statuses=[types.StatusCategory.CLOSED],
                               queues=[types.EntityRef(id=None, name="billing")]), None)
        self.assertEqual(page.total, 0)
        url = host.requests[-1][1]
        self.assertIn("status_id=5%7C7", url)
        self.assertIn("project_id=2", url)
        with self.assertRaises(Err) as caught:
            find.find(query(queues=[types.EntityRef(id=None, name="Nowhere")]), None)
        self.assertEqual(caught.exception.value.value[0].field, "queues")

    def test_no_matching_status_means_no_request(self):
        host = fake.install(Backlog([]).route)
        page = find.find(query(statuses=[types.StatusCategory.RESOLVED]), None)
        self.assertEqual((page.tickets, page.next), ([], None))
        self.assertFalse(any("/issues.json" in u for _, u, _ in host.requests))

    def test_native_parameters(self):
        self.assertEqual(find.native_params("?tracker_id=1&cf_2=de"), [("tracker_id", "1"), ("cf_2", "de")])
        for reserved in ("limit=5", "sort=id", "key=abc", "offset=1"):
            with self.assertRaises(Err):
                find.native_params(reserved)

    def test_updated_since_is_normalised(self):
        host = fake.install(Backlog([]).route)
        find.find(query(updated_since="2024-05-01T12:00:00.5+02:00"), None)
        self.assertIn("updated_on=%3E%3D2024-05-01T10%3A00%3A00Z", host.requests[-1][1])


if __name__ == "__main__":
    unittest.main()
