"""A stand-in for the host in native unit tests: answers `http.send` from a route function,
serves settings, and records log lines. Import the adapter's modules after `install()`."""

import json
from types import SimpleNamespace
from typing import Callable, Dict, List, Optional, Tuple

from wit_world.imports import http, log

import triage_sdk as sdk

from redmine_adapter import api


class Host:
    def __init__(self, route: Callable, settings: Optional[Dict[str, str]] = None):
        self.route = route
        self.settings = dict(settings or {})
        self.requests: List[Tuple[str, str, Optional[dict]]] = []
        self.logs: List[str] = []

    # the `config` interface
    def get(self, key):
        return self.settings.get(key)

    def entries(self):
        return list(self.settings.items())

    # the `log` interface
    def log(self, level, message):
        self.logs.append(message)

    def send(self, req: http.Request) -> http.Response:
        body = json.loads(req.body) if req.body else None
        self.requests.append((req.method.name, req.url, body))
        status, headers, payload = self.route(req.method.name, req.url, body)
        if not isinstance(payload, bytes):
            payload = json.dumps(payload).encode() if payload is not None else b""
        return http.Response(status=status, headers=headers, body=payload)


def install(route: Callable, settings: Optional[Dict[str, str]] = None) -> Host:
    """Route the SDK's imports to a fake host and empty the adapter's caches."""
    host = Host(route, settings)
    sdk.send = host.send
    sdk._config = host
    sdk._log = SimpleNamespace(Level=log.Level, log=host.log)
    for cache in (api.projects, api.categories, api.priorities, api.statuses):
        cache.clear()
    return host


def ok(payload) -> Tuple[int, list, object]:
    return 200, [("content-type", "application/json")], payload


def status(code: int, payload=None, headers=None) -> Tuple[int, list, object]:
    return code, headers or [], payload


PRIORITIES = {"issue_priorities": [{"id": i, "name": n, "active": True} for i, n in
                                   [(1, "Low"), (2, "Normal"), (3, "High"), (4, "Urgent"), (5, "Immediate")]]}
STATUSES = {"issue_statuses": [{"id": 1, "name": "New", "is_closed": False},
                               {"id": 2, "name": "In Progress", "is_closed": False},
                               {"id": 5, "name": "Closed", "is_closed": True},
                               {"id": 7, "name": "Archived", "is_closed": True}]}
PROJECTS = {"projects": [{"id": 1, "name": "Helpdesk", "identifier": "helpdesk"},
                         {"id": 2, "name": "Billing", "identifier": "billing"}],
            "total_count": 2, "offset": 0, "limit": 100}


def issue(iid: int, updated: str = "2024-05-01T10:00:00Z", **extra) -> dict:
    base = {
        "id": iid,
        "project": {"id": 1, "name": "Helpdesk"},
        "tracker": {"id": 3, "name": "Support"},
        "status": {"id": 1, "name": "New", "is_closed": False},
        "priority": {"id": 2, "name": "Normal"},
        "author": {"id": 9, "name": "Anna"},
        "subject": f"Issue {iid}",
        "description": "Hello",
        "custom_fields": [{"id": 2, "name": "Language", "value": "en"},
                          {"id": 4, "name": "Triage confidence", "value": ""}],
        "created_on": "2024-05-01T09:00:00Z",
        "updated_on": updated,
    }
    base.update(extra)
    return base
