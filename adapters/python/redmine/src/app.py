"""The Redmine adapter for triage, written in Python and built with componentize-py.

Settings (non-secret, from the connection):
- `base_url`: the Redmine root (`https://example.org/redmine`, or a simulator's
  `http://127.0.0.1:PORT`); without it, paths resolve against the connection's base URL;
- `queue`: `project` (default: a ticket's queue is its project) or `category` (its issue
  category within the project named by `project`);
- `project`: the project's id or identifier, with `queue: category`.

The API key is added by the host as `X-Redmine-API-Key`; the adapter never sees it. See
`adapters/README.md`.
"""

from typing import List, Optional

from wit_world import exports
from wit_world.imports import types

import triage_sdk as sdk
from redmine_adapter import __version__, api, find, mapping, update


class Adapter(exports.Adapter):
    @sdk.guarded
    def describe(self) -> types.AdapterInfo:
        caps = (
            types.Capabilities.INTERNAL_NOTES
            | types.Capabilities.CUSTOM_FIELDS
            | types.Capabilities.NATIVE_SEARCH
            | types.Capabilities.TOTAL_COUNT
            | types.Capabilities.OPTIMISTIC_LOCKING
        )
        return types.AdapterInfo(
            name="redmine",
            version=__version__,
            system="Redmine REST API",
            capabilities=caps,
            max_page_size=find.MAX_PAGE,
        )

    @sdk.guarded
    def find_tickets(self, query: types.TicketQuery, cursor: Optional[str]) -> types.Page:
        return find.find(query, cursor)

    @sdk.guarded
    def get_ticket(self, id: str) -> types.Ticket:
        return mapping.ticket_from(api.issue(update.issue_id(id)), api.queue_mode())

    @sdk.guarded
    def update_ticket(self, id: str, patch: types.TicketPatch) -> types.Ticket:
        return update.update(id, patch)

    @sdk.guarded
    def add_note(self, id: str, note: types.Note) -> Optional[str]:
        return update.add_note(id, note)

    @sdk.guarded
    def list_queues(self) -> List[types.EntityRef]:
        api.queues().clear()
        return [types.EntityRef(id=str(i), name=name) for i, name, _ in api.queues().get()]

    @sdk.guarded
    def list_priorities(self) -> List[types.EntityRef]:
        api.priorities.clear()
        return [types.EntityRef(id=str(i), name=name) for i, name, _ in api.priorities.get()]
