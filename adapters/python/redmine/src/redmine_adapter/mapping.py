"""Redmine JSON <-> the contract's ticket model. Pure code (no host calls), unit-tested
natively with CPython."""

import json
import re
from html.parser import HTMLParser
from typing import Any, Dict, Iterable, List, Optional

from wit_world.imports import types

import triage_sdk as sdk

# Redmine's default priorities (Low 1, Normal 2, High 3, Urgent 4, Immediate 5) by name.
PRIORITY_LEVELS = {
    "low": types.PriorityLevel.LOW,
    "normal": types.PriorityLevel.MEDIUM,
    "high": types.PriorityLevel.HIGH,
    "urgent": types.PriorityLevel.URGENT,
    "immediate": types.PriorityLevel.URGENT,
}

# Redmine's default statuses by name; others fall back to `is_closed`.
STATUS_CATEGORIES = {
    "new": types.StatusCategory.NEW,
    "in progress": types.StatusCategory.OPEN,
    "feedback": types.StatusCategory.PENDING,
    "resolved": types.StatusCategory.RESOLVED,
    "closed": types.StatusCategory.CLOSED,
    "rejected": types.StatusCategory.CLOSED,
}

# Labels Redmine puts first in its 422 messages -> the contract's field names.
ATTRIBUTE_FIELDS = {
    "Priority": "priority",
    "Project": "queue",
    "Category": "queue",
    "Tracker": "ticket_type",
    "Status": "status",
    "Subject": "subject",
    "Assignee": "assignee",
    "Description": "body",
}

# The endings of Rails' messages -> their error keys.
MESSAGE_CODES = [
    ("cannot be blank", "blank"),
    ("is not included in the list", "inclusion"),
    ("is invalid", "invalid"),
    ("is too long", "too_long"),
    ("is too short", "too_short"),
    ("is not a number", "not_a_number"),
    ("has already been taken", "taken"),
]


def entity(obj: Any) -> Optional[types.EntityRef]:
    """`{"id": 3, "name": "High"}` as an entity reference."""
    if not isinstance(obj, dict) or obj.get("id") is None:
        return None
    name = obj.get("name")
    return types.EntityRef(id=str(obj["id"]), name=name if isinstance(name, str) else None)


def priority_level(name: Optional[str]) -> Optional[types.PriorityLevel]:
    return PRIORITY_LEVELS.get((name or "").strip().lower())


def status_category(status: Any) -> types.StatusCategory:
    """By the default names first, then by `is_closed` (Redmine 5.1+ sends it)."""
    if not isinstance(status, dict):
        return types.StatusCategory.OTHER
    known = STATUS_CATEGORIES.get(str(status.get("name") or "").strip().lower())
    if known is not None:
        return known
    if status.get("is_closed") is True:
        return types.StatusCategory.CLOSED
    return types.StatusCategory.OTHER


def custom_value_json(value: Any) -> str:
    """A Redmine custom field value as the contract's JSON text: `""` is `null`, strings stay
    strings (Redmine sends every value as a string), multi-value fields are arrays."""
    if value is None or value == "":
        return "null"
    return json.dumps(value, ensure_ascii=False)


def custom_value_redmine(text: str) -> Any:
    """The contract's JSON text as what Redmine takes: `null` clears (`""`), booleans are
    `"1"`/`"0"`, numbers and strings are strings, arrays stay arrays. Text that is not JSON
    is taken as a string."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return [custom_value_redmine(json.dumps(v)) for v in value]
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value)


def ticket_from(issue: Dict[str, Any], queue_mode: str = "project") -> types.Ticket:
    """One issue object (from `/issues.json` or `/issues/{id}.json`) as a contract ticket."""
    if not isinstance(issue, dict) or not isinstance(issue.get("id"), int):
        raise sdk.protocol(f"an issue without a numeric id: {str(issue)[:200]}")
    priority = issue.get("priority")
    queue_obj = issue.get("category") if queue_mode == "category" else issue.get("project")
    fields = []
    for cf in issue.get("custom_fields") or []:
        if isinstance(cf, dict) and isinstance(cf.get("name"), str):
            fields.append(types.CustomField(name=cf["name"], value=custom_value_json(cf.get("value"))))
    updated = sdk.to_rfc3339(issue.get("updated_on"))
    description = issue.get("description")
    if isinstance(description, str):
        # Redmine stores text from its web forms as sent, with CRLF, and returns it so.
        description = description.replace("\r\n", "\n")
    return types.Ticket(
        id=str(issue["id"]),
        number=None,
        subject=str(issue.get("subject") or ""),
        body_text=description if isinstance(description, str) and description else None,
        body_html=None,
        queue=entity(queue_obj),
        priority=entity(priority),
        priority_level=priority_level(priority.get("name")) if isinstance(priority, dict) else None,
        status=entity(issue.get("status")),
        status_category=status_category(issue.get("status")),
        ticket_type=entity(issue.get("tracker")),
        tags=[],
        custom_fields=fields,
        assignee=entity(issue.get("assigned_to")),
        requester=entity(issue.get("author")),
        created_at=sdk.to_rfc3339(issue.get("created_on")),
        updated_at=updated,
        version=updated,
        raw=json.dumps(issue, ensure_ascii=False),
    )


def custom_field_ids(issue: Dict[str, Any]) -> Dict[str, int]:
    """The custom fields an issue has, name -> id (Redmine lists every field that applies to
    the issue's project and tracker, empty or not)."""
    out = {}
    for cf in issue.get("custom_fields") or []:
        if isinstance(cf, dict) and isinstance(cf.get("id"), int) and isinstance(cf.get("name"), str):
            out[cf["name"]] = cf["id"]
    return out


def custom_field_id(name: str, known: Dict[str, int]) -> Optional[int]:
    """A field by name (exact, then ignoring case), or by id as `12` or `cf_12`."""
    name = name.strip()
    if name in known:
        return known[name]
    for k, v in known.items():
        if k.lower() == name.lower():
            return v
    m = re.fullmatch(r"(?:cf_)?(\d+)", name)
    if m and int(m.group(1)) in known.values():
        return int(m.group(1))
    return None


def field_errors(messages: Iterable[Any], custom_fields: Iterable[str] = ()) -> List[types.FieldError]:
    """Redmine's 422 `{"errors": ["Priority cannot be blank", ...]}` as field errors. The
    field is found from the label the message starts with: a standard attribute, or a custom
    field (`custom_fields.<name>`); anything else is `base`."""
    labels = {label: field for label, field in ATTRIBUTE_FIELDS.items()}
    for name in custom_fields:
        labels[name] = f"custom_fields.{name}"
    out = []
    for message in messages:
        message = str(message)
        field = "base"
        for label in sorted(labels, key=len, reverse=True):
            if message == label or message.startswith(label + " "):
                field = labels[label]
                break
        code = next((c for ending, c in MESSAGE_CODES if message.endswith(ending)), "invalid")
        out.append(sdk.field_error(field, code, message))
    return out


class _Text(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: List[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Redmine formats notes as Textile or Markdown and escapes HTML, so an HTML note is sent
    as its text with line breaks kept."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def note_text(subject: Optional[str], body: str, html: bool) -> str:
    """A journal's notes: Redmine notes have no subject, so one becomes the first line."""
    text = html_to_text(body) if html else body
    subject = (subject or "").strip()
    return f"{subject}\n\n{text}" if subject else text
