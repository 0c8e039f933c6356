"""Finding tickets, one page per call, over `GET /issues.json`.

Redmine pages with `offset`/`limit` (at most 100) over a live result, so plain offsets skip
or repeat issues when the order shifts during a scan. The scan therefore walks a window in
`updated_on` order (`sort=updated_on,id`, `updated_on=>=SINCE`): after each page, `SINCE`
moves to the newest `updated_on` second returned. Issues changed during the scan move past
the window's end and are returned again with their new version; nothing is skipped.

What a real Redmine (5.0, checked in tests/conformance_redmine_real.rs) does with that
filter, and what the scan does about it:
- `updated_on=>=T` is `updated_on > T - 1s` in SQL (`Query#date_clause`), against times
  stored with microseconds (SQLite, PostgreSQL; MySQL keeps whole seconds). A window at `T`
  therefore starts with the issues of the second before `T` (all but those at exactly
  `T-1.000000`), in time order, then those of `T`. The window only moves forward: issues
  rendered before `SINCE` are dropped, and `total` leaves out those of the first page.
- How many of that second's issues come first is not knowable from the whole-second times
  Redmine renders, so a moved window does not trust offsets: the cursor keeps the ids of
  the issues of second `SINCE` the page returned (at most a page of them; all of that
  second's issues returned so far are on that page), the next request starts at their
  number less one (the earliest place a new issue can be, also when one of them changed in
  between and left), and the page drops those ids and everything from before `SINCE`. On a
  whole-second database (MySQL) the same steps hold with no earlier second at all. The one
  gap: two issues of the page's last second changed between two calls shift the window by
  one more than the slack.
- A fraction of a second in the filter is a 422: times are sent as `YYYY-MM-DDTHH:MM:SSZ`.

Filters that Redmine applies itself: statuses (`status_id`, mapped from categories through
`/issue_statuses.json`; Redmine lists only open issues without it, so an empty filter sends
`status_id=*`), `updated_since`, and the queue: `project_id` (project mode) or `project_id`
+ `category_id` (category mode). Several queues are scanned one after another. A native
query is Redmine filter parameters (`tracker_id=1&cf_2=de`) added to the list request.
"""
from typing import Any, Dict, List, Optional, Tuple

from wit_world.imports import types

import triage_sdk as sdk

from . import api, mapping

MAX_PAGE = 100
# Parameters the scan owns; a native query may not set them.
RESERVED = {"offset", "limit", "page", "sort", "key", "updated_on", "project_id", "category_id"}


def page_size(hint: int) -> int:
    return MAX_PAGE if hint <= 0 else min(hint, MAX_PAGE)


def native_params(native: Optional[str]) -> List[Tuple[str, str]]:
    """`tracker_id=1&cf_2=de` as (key, value) pairs, already encoded as given."""
    out = []
    for part in (native or "").strip().lstrip("?").split("&"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        if key.strip() in RESERVED:
            raise sdk.invalid("native", f"the scan sets {key.strip()!r} itself; leave it out of the native query")
        out.append((key.strip(), value))
    return out


def status_ids(wanted: List[types.StatusCategory]) -> Optional[str]:
    """`status_id` for the categories asked for: `*` for all, `1|2` for some, `None` when no
    status has such a category."""
    if not wanted:
        return "*"
    ids = [
        str(sid)
        for sid, name, closed in api.statuses.get()
        if mapping.status_category({"name": name, "is_closed": closed}) in wanted
    ]
    return "|".join(ids) if ids else None


def queue_params(query: types.TicketQuery) -> List[List[Tuple[str, str]]]:
    """One parameter set per queue asked for (one empty set for all queues)."""
    mode = api.queue_mode()
    base = [("project_id", sdk.setting("project") or "")] if mode == "category" else []
    if not query.queues:
        return [base]
    out = []
    for ref in query.queues:
        hit = api.lookup(api.queues(), ref)
        if hit is None:
            raise sdk.invalid("queues", f"no Redmine {mode} matches {api.describe(ref)}")
        key = "category_id" if mode == "category" else "project_id"
        out.append(base + [(key, str(hit[0]))])
    return out


def since_of(query: types.TicketQuery) -> Optional[str]:
    if not query.updated_since:
        return None
    since = sdk.to_rfc3339(query.updated_since)
    if since is None:
        raise sdk.invalid("updated_since", f"not an RFC 3339 time: {query.updated_since!r}")
    return since


def second(issue: Dict[str, Any]) -> Optional[str]:
    """An issue's `updated_on` as `YYYY-MM-DDTHH:MM:SSZ` (comparable as text)."""
    return sdk.to_rfc3339(issue.get("updated_on"))


def new_in_window(state: Dict[str, Any], issues: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What a page holds that was not returned before: not from before the window (the
    second before `since`), not one of the issues of second `since` the last page returned."""
    since, seen = state.get("since"), set(state.get("seen") or ())
    return [i for i in issues if (second(i) or since or "") >= (since or "") and i.get("id") not in seen]


def advance(state: Dict[str, Any], issues: List[Dict[str, Any]], total: int) -> Optional[Dict[str, Any]]:
    """The state after a page of `issues` (as Redmine sent it) out of `total` in the current
    window; `None` when this queue is done."""
    consumed = state["offset"] + len(issues)
    if not issues or consumed >= total:
        return None
    nxt = dict(state, offset=consumed)
    last = second(issues[-1])
    if last is not None and last > (state.get("since") or ""):
        seen = [i.get("id") for i in issues if second(i) == last]
        nxt.update(since=last, offset=len(seen) - 1, seen=seen)
    return nxt


def find(query: types.TicketQuery, cursor: Optional[str]) -> types.Page:
    queues = queue_params(query)
    statuses = status_ids(list(query.statuses))
    native = native_params(query.native)
    if statuses is None:
        return types.Page(tickets=[], next=None, total=0)
    if cursor:
        state = sdk.decode_cursor(cursor)
        if not isinstance(state, dict) or not isinstance(state.get("offset"), int):
            raise sdk.protocol(f"not a cursor of the Redmine adapter: {cursor[:80]!r}")
    else:
        start = since_of(query)
        state = {"queue": 0, "since": start, "start": start, "offset": 0, "limit": page_size(query.page_size), "total": None}
    qi = state.get("queue", 0)
    if not 0 <= qi < len(queues):
        raise sdk.protocol("the cursor names a queue the query does not have")
    params = [("sort", "updated_on,id"), ("limit", str(state["limit"])), ("offset", str(state["offset"]))]
    if not any(k == "status_id" for k, _ in native):
        params.append(("status_id", statuses))
    if state.get("since"):
        params.append(("updated_on", ">=" + state["since"]))
    body = api.get("/issues.json?" + sdk.query(params + queues[qi]) + "".join(f"&{k}={v}" for k, v in native))
    issues = body.get("issues")
    if not isinstance(issues, list):
        raise sdk.protocol("GET /issues.json: no issues list")
    window_total = int(body.get("total_count") or 0)
    new = new_in_window(state, issues)
    if state.get("total") is None and len(queues) == 1:
        # Less the issues from before the window on this first page (exact unless more
        # than a page of them changed in the second before `updated_since`).
        state["total"] = window_total - (len(issues) - len(new))
    mode = api.queue_mode()
    tickets = [mapping.ticket_from(i, mode) for i in new]
    nxt = advance(state, issues, window_total)
    if nxt is None and qi + 1 < len(queues):
        nxt = dict(state, queue=qi + 1, since=state.get("start"), offset=0, seen=[])
    return types.Page(
        tickets=tickets,
        next=sdk.encode_cursor(nxt) if nxt else None,
        total=state.get("total"),
    )
