import json
import unittest

from wit_world.imports import types

from redmine_adapter import mapping

from tests import fake


class Tickets(unittest.TestCase):
    def test_maps_an_issue(self):
        v = fake.issue(
            42,
            assigned_to={"id": 3, "name": "Bob"},
            category={"id": 5, "name": "Billing"},
            priority={"id": 4, "name": "Urgent"},
            status={"id": 4, "name": "Feedback"},
        )
        t = mapping.ticket_from(v)
        self.assertEqual(t.id, "42")
        self.assertEqual(t.subject, "Issue 42")
        self.assertEqual(t.body_text, "Hello")
        self.assertIsNone(t.body_html)
        self.assertEqual(t.queue, types.EntityRef(id="1", name="Helpdesk"))
        self.assertEqual(t.priority, types.EntityRef(id="4", name="Urgent"))
        self.assertEqual(t.priority_level, types.PriorityLevel.URGENT)
        self.assertEqual(t.status_category, types.StatusCategory.PENDING)
        self.assertEqual(t.ticket_type.name, "Support")
        self.assertEqual(t.tags, [])
        self.assertEqual(
            [(c.name, c.value) for c in t.custom_fields],
            [("Language", '"en"'), ("Triage confidence", "null")],
        )
        self.assertEqual(t.assignee.name, "Bob")
        self.assertEqual(t.requester, types.EntityRef(id="9", name="Anna"))
        self.assertEqual((t.created_at, t.updated_at, t.version),
                         ("2024-05-01T09:00:00Z", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"))
        self.assertEqual(json.loads(t.raw), v)
        self.assertEqual(mapping.ticket_from(v, "category").queue, types.EntityRef(id="5", name="Billing"))
        self.assertIsNone(mapping.ticket_from(fake.issue(1), "category").queue)

    def test_crlf_descriptions_read_as_lf(self):
        # What a real Redmine 5.0 returns for a description created with "\n" line ends.
        t = mapping.ticket_from(fake.issue(1, description="Hello,\r\n\r\nmy order is late.\r\n"))
        self.assertEqual(t.body_text, "Hello,\n\nmy order is late.\n")

    def test_statuses_by_name_then_is_closed(self):
        cat = mapping.status_category
        self.assertEqual(cat({"name": "In Progress"}), types.StatusCategory.OPEN)
        self.assertEqual(cat({"name": "Rejected"}), types.StatusCategory.CLOSED)
        self.assertEqual(cat({"name": "Archived", "is_closed": True}), types.StatusCategory.CLOSED)
        self.assertEqual(cat({"name": "Waiting"}), types.StatusCategory.OTHER)
        self.assertEqual(mapping.priority_level("Immediate"), types.PriorityLevel.URGENT)
        self.assertEqual(mapping.priority_level("normal"), types.PriorityLevel.MEDIUM)
        self.assertIsNone(mapping.priority_level("Whenever"))

    def test_an_issue_without_an_id_is_a_protocol_error(self):
        from componentize_py_types import Err

        with self.assertRaises(Err):
            mapping.ticket_from({"subject": "x"})


class CustomFields(unittest.TestCase):
    def test_values_both_ways(self):
        self.assertEqual(mapping.custom_value_json(""), "null")
        self.assertEqual(mapping.custom_value_json(["a", "b"]), '["a", "b"]')
        r = mapping.custom_value_redmine
        self.assertEqual(r("null"), "")
        self.assertEqual(r("true"), "1")
        self.assertEqual(r("0.5"), "0.5")
        self.assertEqual(r('"x"'), "x")
        self.assertEqual(r('["a", 2]'), ["a", "2"])
        self.assertEqual(r("plain text"), "plain text")

    def test_fields_by_name_or_id(self):
        known = mapping.custom_field_ids(fake.issue(1))
        self.assertEqual(known, {"Language": 2, "Triage confidence": 4})
        self.assertEqual(mapping.custom_field_id("language", known), 2)
        self.assertEqual(mapping.custom_field_id("cf_4", known), 4)
        self.assertEqual(mapping.custom_field_id("4", known), 4)
        self.assertIsNone(mapping.custom_field_id("cf_9", known))
        self.assertIsNone(mapping.custom_field_id("Shoe size", known))


class Errors(unittest.TestCase):
    def test_messages_become_field_errors(self):
        errors = mapping.field_errors(
            ["Priority cannot be blank", "Support plan is not included in the list",
             "Support is invalid", "Something odd happened"],
            ["Support plan"],
        )
        self.assertEqual(
            [(e.field, e.code) for e in errors],
            [("priority", "blank"), ("custom_fields.Support plan", "inclusion"),
             ("base", "invalid"), ("base", "invalid")],
        )
        self.assertEqual(errors[1].message, "Support plan is not included in the list")


class Notes(unittest.TestCase):
    def test_html_becomes_text_and_the_subject_a_first_line(self):
        self.assertEqual(
            mapping.note_text("Triage", "<p>Routed to <b>IT</b> &amp; ops</p><p>0.9</p>", True),
            "Triage\n\nRouted to IT & ops\n0.9",
        )
        self.assertEqual(mapping.note_text(None, "a <b> c", False), "a <b> c")


if __name__ == "__main__":
    unittest.main()
