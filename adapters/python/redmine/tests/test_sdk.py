import unittest

from componentize_py_types import Err
from wit_world.imports import http, types

import triage_sdk as sdk

from tests import fake


def reply(status, headers=(), body=b""):
    return sdk.Reply(status, list(headers), body)


class Errors(unittest.TestCase):
    def test_statuses_map_to_typed_errors(self):
        cases = {
            401: types.AdapterError_Auth,
            403: types.AdapterError_Forbidden,
            404: types.AdapterError_NotFound,
            409: types.AdapterError_Conflict,
            422: types.AdapterError_Validation,
            500: types.AdapterError_Transient,
            503: types.AdapterError_Transient,
            302: types.AdapterError_Protocol,
        }
        for status, kind in cases.items():
            self.assertIsInstance(sdk.from_status(reply(status)).value, kind, status)

    def test_rate_limit_carries_retry_after_in_ms(self):
        e = sdk.from_status(reply(429, [("retry-after", "7")])).value
        self.assertEqual(e, types.AdapterError_RateLimited(7000))
        self.assertEqual(sdk.from_status(reply(429)).value, types.AdapterError_RateLimited(None))

    def test_transport_failures(self):
        self.assertIsInstance(sdk.from_http(http.HttpError_Timeout()).value, types.AdapterError_Transient)
        self.assertIsInstance(sdk.from_http(http.HttpError_Connect("reset")).value, types.AdapterError_Transient)
        self.assertIsInstance(sdk.from_http(http.HttpError_Denied("x")).value, types.AdapterError_Forbidden)
        self.assertIsInstance(sdk.from_http(http.HttpError_TooLarge(9)).value, types.AdapterError_Protocol)

    def test_request_raises_transport_errors_typed(self):
        def route(method, url, body):
            raise Err(http.HttpError_Connect("closed"))

        host = fake.install(route)
        host.route = route
        with self.assertRaises(Err) as caught:
            sdk.request("GET", "/x")
        self.assertIsInstance(caught.exception.value, types.AdapterError_Transient)


class Helpers(unittest.TestCase):
    def test_encode_and_query(self):
        self.assertEqual(sdk.encode("a b+c@d\"é"), "a%20b%2Bc%40d%22%C3%A9")
        self.assertEqual(sdk.query([("updated_on", ">=2024"), ("s", "1|2")]), "updated_on=%3E%3D2024&s=1%7C2")

    def test_times_become_utc_seconds(self):
        self.assertEqual(sdk.to_rfc3339("2024-05-01T12:00:00.123+02:00"), "2024-05-01T10:00:00Z")
        self.assertEqual(sdk.to_rfc3339("2024-05-01T10:00:00Z"), "2024-05-01T10:00:00Z")
        self.assertEqual(sdk.to_rfc3339("2024-05-01"), "2024-05-01T00:00:00Z")
        self.assertIsNone(sdk.to_rfc3339("yesterday"))

    def test_cursor_round_trip_and_garbage(self):
        state = {"offset": 3, "since": None}
        self.assertEqual(sdk.decode_cursor(sdk.encode_cursor(state)), state)
        with self.assertRaises(Err):
            sdk.decode_cursor("not json")

    def test_use_cache_ages_by_use_and_refreshes_on_miss(self):
        fetched = []
        cache = sdk.UseCache(lambda: fetched.append(1) or len(fetched), uses=3, refresh_after=1)
        self.assertEqual([cache.get() for _ in range(4)], [1, 1, 1, 1])
        self.assertEqual(cache.get(), 2)
        self.assertEqual(cache.get(refresh=True), 2, "fetched only just now")
        cache.get()
        self.assertEqual(cache.get(refresh=True), 3)

    def test_guarded_turns_bugs_into_protocol_errors(self):
        host = fake.install(lambda *a: fake.ok({}))

        @sdk.guarded
        def broken():
            return {}["missing"]

        with self.assertRaises(Err) as caught:
            broken()
        self.assertIsInstance(caught.exception.value, types.AdapterError_Protocol)
        self.assertIn("KeyError", caught.exception.value.value)
        self.assertTrue(any("Traceback" in line for line in host.logs))

        @sdk.guarded
        def typed():
            raise sdk.not_found("x")

        with self.assertRaises(Err) as caught:
            typed()
        self.assertIsInstance(caught.exception.value, types.AdapterError_NotFound)


if __name__ == "__main__":
    unittest.main()
