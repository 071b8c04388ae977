"""Structured (JSON) logging that carries the request id and never personal data.

Log records only carry what the code puts in them; the rule in this project is that log calls
pass identifiers (object ids, request ids, status codes), never names, BSNs or free text.
``JsonFormatter`` also drops ``args`` rendering of request objects Django would otherwise add.
"""

import contextvars
import json
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_ALLOWED_EXTRA = ("status", "method", "path", "duration_ms", "user_id", "object_type", "object_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key in _ALLOWED_EXTRA:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(payload, ensure_ascii=False)
