"""The Redmine adapter's code: `mapping` (pure), `api` (requests and lookups), `find`
(paging) and `update` (writes). The exported class is in `app.py`."""

__version__ = "0.1.0"
