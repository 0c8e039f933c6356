import unittest

from componentize_py_types import Err
from wit_world.imports import types

from redmine_adapter import update

from tests import fake


def patch(**kw):
    base = dict(queue=None, priority=None, tags=None, custom_fields=[], if_version=None)
    base.update(kw)
    return types.TicketPatch(**base)


class Redmine:
    def __init__(self):
        self.issue = fake.issue(7)
        self.refuse = None

    def route(self, method, url, body):
        if url.endswith("/enumerations/issue_priorities.json"):
            return fake.ok(fake.PRIORITIES)
        if "/projects.json" in url:
            return fake.ok(fake.PROJECTS)
        if not url.endswith("/issues/7.json"):
            return fake.status(404)
        if method == "PUT":
            if self.refuse:
                return fake.status(422, {"errors": self.refuse})
            attrs = body["issue"]
            if "priority_id" in attrs:
                self.issue["priority"] = {"id": attrs["priority_id"], "name": "Urgent"}
            return fake.status(204)
        return fake.ok({"issue": self.issue})


class Updates(unittest.TestCase):
    def setUp(self):
        self.redmine = Redmine()
        self.host = fake.install(self.redmine.route)

    def puts(self):
        return [b for m, _, b in self.host.requests if m == "PUT"]

    def test_only_the_fields_asked_for_then_a_fresh_read(self):
        t = update.update("7", patch(priority=types.EntityRef(id=None, name="urgent"),
                                     queue=types.EntityRef(id="billing", name=None)))
        self.assertEqual(self.puts(), [{"issue": {"priority_id": 4, "project_id": 2}}])
        self.assertEqual(t.priority.id, "4")
        self.assertEqual(self.host.requests[-1][0], "GET")

    def test_custom_fields_by_name(self):
        update.update("7", patch(custom_fields=[types.CustomField(name="Language", value='"de"')]))
        self.assertEqual(self.puts(), [{"issue": {"custom_fields": [{"id": 2, "value": "de"}]}}])

    def test_unknown_names_are_refused_before_writing(self):
        for p, field in [
            (patch(queue=types.EntityRef(id=None, name="Nowhere")), "queue"),
            (patch(priority=types.EntityRef(id="9", name=None)), "priority"),
            (patch(custom_fields=[types.CustomField(name="Shoe size", value="44")]), "custom_fields.Shoe size"),
        ]:
            with self.assertRaises(Err) as caught:
                update.update("7", p)
            self.assertEqual(caught.exception.value.value[0].field, field)
        self.assertEqual(self.puts(), [])

    def test_422_names_the_field(self):
        self.redmine.refuse = ["Language is not included in the list"]
        with self.assertRaises(Err) as caught:
            update.update("7", patch(custom_fields=[types.CustomField(name="Language", value='"xx"')]))
        err = caught.exception.value
        self.assertIsInstance(err, types.AdapterError_Validation)
        self.assertEqual((err.value[0].field, err.value[0].code), ("custom_fields.Language", "inclusion"))

    def test_tags_are_unsupported_but_a_missing_issue_is_not_found(self):
        with self.assertRaises(Err) as caught:
            update.update("7", patch(tags=types.TagOp_Add(["x"])))
        self.assertIsInstance(caught.exception.value, types.AdapterError_Unsupported)
        with self.assertRaises(Err) as caught:
            update.update("8", patch(tags=types.TagOp_Add(["x"])))
        self.assertIsInstance(caught.exception.value, types.AdapterError_NotFound)
        with self.assertRaises(Err) as caught:
            update.update("abc", patch())
        self.assertIsInstance(caught.exception.value, types.AdapterError_NotFound)

    def test_versions(self):
        with self.assertRaises(Err) as caught:
            update.update("7", patch(priority=types.EntityRef(id="4", name=None), if_version="2001-01-01T00:00:00Z"))
        self.assertIsInstance(caught.exception.value, types.AdapterError_Conflict)
        update.update("7", patch(priority=types.EntityRef(id="4", name=None), if_version="2024-05-01T10:00:00+00:00"))
        self.assertEqual(len(self.puts()), 1)

    def test_notes_are_private(self):
        self.assertIsNone(update.add_note("7", types.Note(subject=None, body="routed", html=False)))
        self.assertEqual(self.puts(), [{"issue": {"notes": "routed", "private_notes": True}}])


if __name__ == "__main__":
    unittest.main()
