"""`PUT /issues/{id}.json` with only the fields asked for, then a fresh read (Redmine answers
204 without a body).

Redmine silently ignores what it does not know (an unknown project id, custom field id or
attribute), so the adapter resolves every name and id itself first and refuses unknown ones
as `validation`. `if-version` is compared with `updated_on` read just before the write
(Redmine's REST API has no conditional PUT, so a change in between is not caught). Redmine
has no tags: a patch with a tag operation is `unsupported`, after the issue is found to exist.
"""

from typing import Any, Dict, Optional

from wit_world.imports import types

import triage_sdk as sdk

from . import api, mapping


def issue_id(text: str) -> int:
    """Issue ids are numbers; anything else cannot exist."""
    text = text.strip().lstrip("#")
    if not text.isdigit():
        raise sdk.not_found(f"Redmine issue ids are numbers, not {text!r}")
    return int(text)


def same_version(current: Dict[str, Any], version: str) -> bool:
    return sdk.to_rfc3339(current.get("updated_on")) == (sdk.to_rfc3339(version) or version)


def body(patch: types.TicketPatch, current: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The `issue` object for `patch`; `current` is the issue as read (needed for custom
    field names and versions)."""
    out: Dict[str, Any] = {}
    if patch.if_version is not None and current is not None and not same_version(current, patch.if_version):
        raise sdk.conflict(f"issue changed: version {patch.if_version}, now {current.get('updated_on')}")
    if patch.priority is not None:
        hit = api.lookup(api.priorities, patch.priority)
        if hit is None:
            raise sdk.invalid("priority", f"no Redmine priority matches {api.describe(patch.priority)}")
        out["priority_id"] = hit[0]
    if patch.queue is not None:
        mode = api.queue_mode()
        hit = api.lookup(api.queues(), patch.queue)
        if hit is None:
            raise sdk.invalid("queue", f"no Redmine {mode} (queue) matches {api.describe(patch.queue)}")
        out["category_id" if mode == "category" else "project_id"] = hit[0]
    if patch.custom_fields:
        known = mapping.custom_field_ids(current or {})
        fields = []
        for f in patch.custom_fields:
            fid = mapping.custom_field_id(f.name, known)
            if fid is None:
                raise sdk.invalid(
                    f"custom_fields.{f.name}",
                    f"issue has no custom field {f.name!r} (it has: {', '.join(sorted(known)) or 'none'})",
                )
            fields.append({"id": fid, "value": mapping.custom_value_redmine(f.value)})
        out["custom_fields"] = fields
    return out


def update(ticket_id: str, patch: types.TicketPatch) -> types.Ticket:
    iid = issue_id(ticket_id)
    needs_current = patch.if_version is not None or patch.tags is not None or bool(patch.custom_fields)
    current = api.issue(iid) if needs_current else None
    if patch.tags is not None:
        raise sdk.unsupported("Redmine has no tags; use a custom field instead")
    attrs = body(patch, current)
    if attrs:
        names = mapping.custom_field_ids(current or {}).keys()
        try:
            api.put(f"/issues/{iid}.json", {"issue": attrs}, names)
        except sdk.Err as e:
            if isinstance(e.value, types.AdapterError_NotFound):
                raise sdk.not_found(f"Redmine issue {iid} does not exist")
            raise
        current = None
    return mapping.ticket_from(current or api.issue(iid), api.queue_mode())


def add_note(ticket_id: str, note: types.Note) -> Optional[str]:
    """A journal with `private_notes: true`. Redmine's 204 names no journal id, so none is
    returned."""
    iid = issue_id(ticket_id)
    text = mapping.note_text(note.subject, note.body, note.html)
    if not text.strip():
        raise sdk.invalid("body", "a note needs text")
    try:
        api.put(f"/issues/{iid}.json", {"issue": {"notes": text, "private_notes": True}})
    except sdk.Err as e:
        if isinstance(e.value, types.AdapterError_NotFound):
            raise sdk.not_found(f"Redmine issue {iid} does not exist")
        raise
    return None
