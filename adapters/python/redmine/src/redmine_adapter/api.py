"""Talking to Redmine through the host: where the API is, its error bodies, the settings and
the cached lookup lists (projects, categories, priorities, statuses)."""

from typing import Any, Dict, Iterable, List, Optional, Tuple

from wit_world.imports import types

import triage_sdk as sdk

from . import mapping

# Pages of 100 read at most when listing projects.
PROJECT_PAGES = 20

QUEUE_MODES = ("project", "category")


def root() -> str:
    """The server root from the `base_url` setting (`https://example.org/redmine`); without
    it, paths resolve against the connection's base URL."""
    return (sdk.setting("base_url") or "").rstrip("/")


def url(path: str) -> str:
    return root() + path


def queue_mode() -> str:
    """`project` (default): a ticket's queue is its project. `category`: its category within
    the project named by the `project` setting."""
    mode = (sdk.setting("queue") or "project").lower()
    if mode not in QUEUE_MODES:
        raise sdk.unsupported(f'setting "queue" must be "project" or "category", not {mode!r}')
    if mode == "category" and not sdk.setting("project"):
        raise sdk.unsupported('setting "queue: category" needs setting "project" (its id or identifier)')
    return mode


def check(reply: sdk.Reply, custom_fields: Iterable[str] = ()) -> sdk.Reply:
    """Redmine's 422 `{"errors": [...]}` as field errors; other statuses as usual."""
    if reply.ok:
        return reply
    if reply.status == 422:
        try:
            messages = reply.json().get("errors")
        except Exception:  # noqa: BLE001 - a 422 without the JSON body falls through
            messages = None
        if isinstance(messages, list) and messages:
            raise sdk.validation(mapping.field_errors(messages, custom_fields))
    raise sdk.from_status(reply)


def get(path: str) -> Any:
    """GET an API path and decode its JSON."""
    return check(sdk.request("GET", url(path))).json()


def put(path: str, body: Any, custom_fields: Iterable[str] = ()) -> None:
    """PUT a JSON body; Redmine answers 204 without a body."""
    check(sdk.request("PUT", url(path), json_body=body), custom_fields)


def issue(issue_id: int) -> Dict[str, Any]:
    """One issue's JSON object; 404 names the ticket."""
    try:
        body = get(f"/issues/{issue_id}.json")
    except sdk.Err as e:
        if isinstance(e.value, types.AdapterError_NotFound):
            raise sdk.not_found(f"Redmine issue {issue_id} does not exist")
        raise
    if not isinstance(body, dict) or not isinstance(body.get("issue"), dict):
        raise sdk.protocol(f"GET /issues/{issue_id}.json: no issue object")
    return body["issue"]


# --- lookup lists: (id, name) pairs ---------------------------------------------------------


def _fetch_projects() -> List[Tuple[int, str, str]]:
    out, offset = [], 0
    for _ in range(PROJECT_PAGES):
        body = get(f"/projects.json?limit=100&offset={offset}")
        page = body.get("projects") or []
        out += [(p["id"], p.get("name", ""), p.get("identifier", "")) for p in page]
        offset += len(page)
        if not page or offset >= int(body.get("total_count") or 0):
            break
    return out


def _fetch_categories() -> List[Tuple[int, str, str]]:
    project = sdk.encode(sdk.setting("project") or "")
    body = get(f"/projects/{project}/issue_categories.json")
    return [(c["id"], c.get("name", ""), "") for c in body.get("issue_categories") or []]


def _fetch_priorities() -> List[Tuple[int, str, str]]:
    body = get("/enumerations/issue_priorities.json")
    return [
        (p["id"], p.get("name", ""), "")
        for p in body.get("issue_priorities") or []
        if p.get("active", True)
    ]


def _fetch_statuses() -> List[Tuple[int, str, bool]]:
    body = get("/issue_statuses.json")
    return [(s["id"], s.get("name", ""), bool(s.get("is_closed"))) for s in body.get("issue_statuses") or []]


projects = sdk.UseCache(_fetch_projects)
categories = sdk.UseCache(_fetch_categories)
priorities = sdk.UseCache(_fetch_priorities)
statuses = sdk.UseCache(_fetch_statuses)


def queues() -> sdk.UseCache:
    return categories if queue_mode() == "category" else projects


def lookup(cache: sdk.UseCache, ref: types.EntityRef) -> Optional[Tuple[int, str]]:
    """An entry by id, by name (exact, then ignoring case) or by identifier; a miss fetches
    the list again once before giving up."""

    def find(entries) -> Optional[Tuple[int, str]]:
        if ref.id is not None:
            key = ref.id.strip()
            hit = [e for e in entries if str(e[0]) == key or (e[2] and e[2] == key)]
            return (hit[0][0], hit[0][1]) if hit else None
        name = (ref.name or "").strip()
        for same in (lambda n: n == name, lambda n: n.lower() == name.lower()):
            hit = [e for e in entries if same(e[1]) or (isinstance(e[2], str) and e[2] and same(e[2]))]
            if hit:
                return (hit[0][0], hit[0][1])
        return None

    return find(cache.get()) or find(cache.get(refresh=True))


def describe(ref: types.EntityRef) -> str:
    return repr(ref.name) if ref.name is not None else f"id {ref.id!r}"
