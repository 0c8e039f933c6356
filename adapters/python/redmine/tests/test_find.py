import unittest
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


class Backlog:
    """A Redmine list endpoint over fixed issues, honouring the window and offset."""

    def __init__(self, issues):
        self.issues = issues

    def route(self, method, url, body):
        parts = urlsplit(url)
        if parts.path.endswith("/issue_statuses.json"):
            return fake.ok(fake.STATUSES)
        if parts.path.endswith("/projects.json"):
            return fake.ok(fake.PROJECTS)
        params = dict(parse_qsl(parts.query))
        since = params.get("updated_on", ">=").removeprefix(">=")
        rows = sorted((i for i in self.issues if i["updated_on"] >= since),
                      key=lambda i: (i["updated_on"], i["id"]))
        off, lim = int(params["offset"]), int(params["limit"])
        return fake.ok({"issues": rows[off:off + lim], "total_count": len(rows), "offset": off, "limit": lim})


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
        # After [01,02,02]: window 02 skips its 2 returned; then [02,02,03] → window 03 skips 1.
        self.assertIn("offset=2&status_id=%2A&updated_on=%3E%3D2024-05-01T10%3A00%3A02Z", urls[1])

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
