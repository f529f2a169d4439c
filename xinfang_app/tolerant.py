"""Frappe methods that answer malformed input with a 500 (an AttributeError, a JSON or SQL error from
inside): the app replaces them (hooks.py, from domain/query_guard.TOLERANT_METHODS) with a wrapper that
calls Frappe's own method and turns such an error into a 417 with a Chinese message. Frappe's own
exceptions (permission, validation, not found) pass through unchanged; the error is kept in the Error Log
for the administrator. tests/test_sweep.py finds the methods that need it.
"""

from __future__ import annotations

from typing import Any

import frappe

from xinfang_app.domain.query_guard import TOLERANT_METHODS
from xinfang_app.query_guard import refuse

FRAPPE_ERRORS = (
	frappe.ValidationError,
	frappe.PermissionError,
	frappe.DoesNotExistError,
	frappe.AuthenticationError,
	frappe.TooManyRequestsError,
	frappe.SessionExpired,
	frappe.CSRFTokenError,
)


def tolerant(original: str):
	def call(**kwargs: Any):
		kwargs.pop("cmd", None)
		try:
			return frappe.call(frappe.get_attr(original), **kwargs)
		except FRAPPE_ERRORS:
			raise
		except Exception:
			frappe.log_error(f"xinfang_app: {original} refused malformed input")
			refuse("请求参数不正确或不完整，请检查后重试")

	call.__name__ = original.rsplit(".", 1)[-1]
	call.__doc__ = f"{original}, with malformed input answered by a 417"
	return frappe.whitelist()(call)


for _original, _wrapper in TOLERANT_METHODS.items():
	globals()[_wrapper.rsplit(".", 1)[-1]] = tolerant(_original)
