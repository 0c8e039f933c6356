"""Helpers for triage adapters written in Python and built with componentize-py.

A third party can copy this one file next to its app module: it depends only on the bindings
componentize-py generates from the contract (`wit_world`, `componentize_py_types`) and on the
standard library.

The sandbox gives an adapter no sockets, files or environment. The only door out is the
contract's `http` import, which the host checks against the origins the operator allowed and
to which it adds the credentials (the adapter never sees them). So: no `urllib.request`, no
`http.client`, no `socket`; use `request()` below.

What is here:
- `request()` / `get_json()` / `Reply`: JSON over the host's `http.send`;
- `from_status()` / `from_http()`: HTTP outcomes as the contract's typed errors (raise them);
- `not_found()`, `validation()`, ... : the errors an adapter raises, ready to `raise`;
- `setting()`, `settings()`: the connection's non-secret settings; `debug()` ... `error()`:
  lines for the operator's log;
- `encode_cursor()` / `decode_cursor()`: paging state as JSON in the opaque cursor;
- `to_rfc3339()`: timestamps as the host wants them (UTC, `Z`, whole seconds);
- `UseCache`: a lookup list reused for a number of calls (the sandbox has no clock);
- `guarded`: turns an unexpected Python exception into a `protocol` error with the traceback
  logged, instead of a trap that discards the instance.
"""

import json
import traceback
from datetime import datetime, timezone
from functools import wraps
from typing import Any, Callable, Iterable, List, Optional, Tuple

from componentize_py_types import Err
from wit_world.imports import config as _config
from wit_world.imports import http as _http
from wit_world.imports import log as _log
from wit_world.imports import types

# --- errors ------------------------------------------------------------------------------
# Each returns an exception to `raise`: componentize-py turns `Err(value)` raised from an
# export into the `result`'s error case.


def auth(message: str) -> Err:
    return Err(types.AdapterError_Auth(message))


def forbidden(message: str) -> Err:
    return Err(types.AdapterError_Forbidden(message))


def not_found(message: str) -> Err:
    return Err(types.AdapterError_NotFound(message))


def field_error(field: str, code: str, message: str) -> types.FieldError:
    return types.FieldError(field=field, code=code, message=message)


def validation(fields: List[types.FieldError]) -> Err:
    return Err(types.AdapterError_Validation(fields))


def invalid(field: str, message: str, code: str = "invalid_value") -> Err:
    """A validation error on one field."""
    return validation([field_error(field, code, message)])


def rate_limited(retry_after_ms: Optional[int]) -> Err:
    return Err(types.AdapterError_RateLimited(retry_after_ms))


def conflict(message: str) -> Err:
    return Err(types.AdapterError_Conflict(message))


def transient(message: str) -> Err:
    return Err(types.AdapterError_Transient(message))


def unsupported(message: str) -> Err:
    return Err(types.AdapterError_Unsupported(message))


def protocol(message: str) -> Err:
    return Err(types.AdapterError_Protocol(message))


# --- HTTP --------------------------------------------------------------------------------


def snippet(body: bytes) -> str:
    """The start of a body, for error messages."""
    return body[:300].decode("utf-8", "replace").replace("\n", " ").replace("\r", " ")


class Reply:
    """A response: status, lower-case headers, body bytes."""

    def __init__(self, status: int, headers: List[Tuple[str, str]], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise protocol(
                f"HTTP {self.status} body is not the expected JSON: {e}: {snippet(self.body)}"
            )

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def retry_after_ms(reply: Reply) -> Optional[int]:
    """`Retry-After` in milliseconds (delta-seconds, what ticket systems send)."""
    value = (reply.header("retry-after") or "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return int(seconds * 1000) if seconds >= 0 else None


def from_status(reply: Reply) -> Err:
    """The usual meaning of a non-2xx status. Map a system's richer bodies (validation
    details) first and fall back to this."""
    detail = f"HTTP {reply.status}: {snippet(reply.body)}"
    s = reply.status
    if s == 401:
        return auth(detail)
    if s == 403:
        return forbidden(detail)
    if s == 404:
        return not_found(detail)
    if s in (409, 412):
        return conflict(detail)
    if s == 429:
        return rate_limited(retry_after_ms(reply))
    if s in (400, 422):
        return invalid("", detail, "invalid")
    if s == 408 or 500 <= s <= 599:
        return transient(detail)
    return protocol(detail)


def from_http(e: Any) -> Err:
    """Transport failures: timeouts and dropped connections are transient; a refused origin
    or an oversized answer is not."""
    if isinstance(e, _http.HttpError_Denied):
        return forbidden(f"the host refused the request: {e.value}")
    if isinstance(e, _http.HttpError_Timeout):
        return transient("request timed out")
    if isinstance(e, _http.HttpError_Connect):
        return transient(f"connection failed: {e.value}")
    if isinstance(e, _http.HttpError_TooLarge):
        return protocol(f"response larger than the host's cap of {e.value} bytes")
    if isinstance(e, _http.HttpError_RequestLimit):
        return protocol(f"this call needed more than the {e.value} requests the host allows per call")
    if isinstance(e, _http.HttpError_InvalidRequest):
        return protocol(f"invalid request: {e.value}")
    if isinstance(e, _http.HttpError_Protocol):
        return transient(f"HTTP protocol error: {e.value}")
    return protocol(f"unknown HTTP error: {e!r}")


_METHODS = {
    "GET": _http.Method.GET,
    "HEAD": _http.Method.HEAD,
    "POST": _http.Method.POST,
    "PUT": _http.Method.PUT,
    "PATCH": _http.Method.PATCH,
    "DELETE": _http.Method.DELETE,
}


def send(req: _http.Request) -> _http.Response:
    """The host's `http.send`; tests replace this to answer without a host."""
    return _http.send(req)


def request(
    method: str,
    url: str,
    json_body: Any = None,
    headers: Iterable[Tuple[str, str]] = (),
) -> Reply:
    """Send a request through the host. A `url` starting with `/` is resolved against the
    connection's base URL. Transport failures are raised as adapter errors; the status is not
    checked (see `Reply.ok`, `from_status`)."""
    all_headers = [("accept", "application/json"), *headers]
    body = None
    if json_body is not None:
        body = json.dumps(json_body, separators=(",", ":")).encode()
        all_headers.append(("content-type", "application/json"))
    req = _http.Request(method=_METHODS[method], url=url, headers=all_headers, body=body)
    try:
        resp = send(req)
    except Err as e:
        raise from_http(e.value)
    return Reply(resp.status, resp.headers, bytes(resp.body))


def get_json(url: str) -> Any:
    """GET and decode 2xx JSON; other statuses raise their typed error."""
    reply = request("GET", url)
    if not reply.ok:
        raise from_status(reply)
    return reply.json()


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def encode(value: str) -> str:
    """Percent-encode a query value (RFC 3986 unreserved characters stay)."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in str(value).encode())


def query(params: Iterable[Tuple[str, Any]]) -> str:
    """`k=v&k2=v2`, values encoded; keys are taken as they are."""
    return "&".join(f"{k}={encode(str(v))}" for k, v in params)


# --- settings and log --------------------------------------------------------------------


def setting(key: str, default: Optional[str] = None) -> Optional[str]:
    """A non-secret setting of the connection; blank values count as absent."""
    value = _config.get(key)
    return value.strip() if value is not None and value.strip() else default


def settings() -> dict:
    return dict(_config.entries())


def debug(message: str) -> None:
    _log.log(_log.Level.DEBUG, message)


def info(message: str) -> None:
    _log.log(_log.Level.INFO, message)


def warn(message: str) -> None:
    _log.log(_log.Level.WARN, message)


def error(message: str) -> None:
    _log.log(_log.Level.ERROR, message)


# --- cursors and time --------------------------------------------------------------------


def encode_cursor(state: Any) -> str:
    return json.dumps(state, separators=(",", ":"), sort_keys=True)


def decode_cursor(cursor: str) -> Any:
    try:
        return json.loads(cursor)
    except ValueError:
        raise protocol(f"not a cursor of this adapter: {cursor[:80]!r}")


def parse_time(text: str) -> Optional[datetime]:
    """An ISO 8601 time (`Z` or an offset; no zone means UTC) or a date, as aware UTC."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc)


def to_rfc3339(text: Optional[str]) -> Optional[str]:
    """`2024-05-01T10:00:00Z` (UTC, whole seconds); `None` for what is not a time."""
    t = parse_time(text) if text else None
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else None


# --- caching -----------------------------------------------------------------------------


class UseCache:
    """A list fetched by `fetch()`, reused for `uses` lookups, then fetched again. An
    instance lives across calls, but the sandbox has no clock, so the cache ages by use.
    `get(refresh=True)` (after a miss) fetches again unless it was fetched `refresh_after`
    lookups ago or less, so a ticket pointing at a deleted entry does not cost a fetch on
    every call."""

    def __init__(self, fetch: Callable[[], Any], uses: int = 200, refresh_after: int = 10):
        self._fetch = fetch
        self._uses = uses
        self._refresh_after = refresh_after
        self._value: Any = None
        self._used = 0
        self._loaded = False

    def get(self, refresh: bool = False) -> Any:
        limit = self._refresh_after if refresh else self._uses
        if self._loaded and self._used < limit:
            self._used += 1
            return self._value
        self._value = self._fetch()
        self._loaded = True
        self._used = 0
        return self._value

    def clear(self) -> None:
        self._loaded = False


# --- exports -----------------------------------------------------------------------------


def guarded(method: Callable) -> Callable:
    """Wrap an exported method: contract errors pass through; any other exception is a bug,
    logged with its traceback and answered as a `protocol` error (an uncaught exception
    would trap, and the host would discard the instance)."""

    @wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Err:
            raise
        except Exception as e:  # noqa: BLE001 - the point is to catch everything else
            error(f"{method.__name__} failed: {traceback.format_exc()}")
            raise protocol(f"{method.__name__}: adapter bug: {type(e).__name__}: {e}")

    return wrapper
