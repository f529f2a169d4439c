"""The Frappe side of domain/login_throttle.py: counts kept in the cache, three hooks.

- Activity Log after_insert: Frappe logs every failed login there (LoginManager.fail): count it for the
  account and for the request's address.
- on_login (after the password is checked, before the session is made): refuse with 429 while the
  account or the address is throttled.
- on_session_creation: remember that the account logged in from this address.

Frappe's own tracker is switched off on install (install.HARDENED_SETTINGS:
allow_consecutive_login_attempts = 0), since it locks the whole address.
"""

from __future__ import annotations

import time

import frappe

from xinfang_app.domain import login_throttle as rules

ACCOUNT_KEY = "xinfang_login_failures:account:"
ADDRESS_KEY = "xinfang_login_failures:address:"
KNOWN_KEY = "xinfang_login_known:"


def _address() -> str:
	return getattr(frappe.local, "request_ip", None) or "unknown"


def _account(user: str | None) -> str:
	return (user or "").strip().lower()


def _failures(key: str) -> list[float]:
	return list(frappe.cache.get_value(key) or [])


def _add_failure(key: str, now: float):
	kept = rules.recent([*_failures(key), now], now)
	frappe.cache.set_value(key, kept, expires_in_sec=rules.RULES.window_seconds)


def on_activity_log(doc, method=None):
	if doc.get("operation") != "Login" or doc.get("status") != "Failed":
		return
	now = time.time()
	_add_failure(ACCOUNT_KEY + _account(doc.get("user")), now)
	_add_failure(ADDRESS_KEY + _address(), now)


def check(login_manager=None):
	user = getattr(login_manager, "user", None) or frappe.session.user
	address = _address()
	wait = rules.refusal(
		_failures(ACCOUNT_KEY + _account(user)),
		_failures(ADDRESS_KEY + address),
		time.time(),
		known_at_address=bool(frappe.cache.get_value(f"{KNOWN_KEY}{address}:{_account(user)}")),
	)
	if wait:
		frappe.local.flags.disable_traceback = True
		frappe.throw(rules.message_zh(wait), frappe.TooManyRequestsError, title="登录受限")


def remember(login_manager=None):
	user = getattr(login_manager, "user", None) or frappe.session.user
	frappe.cache.set_value(
		f"{KNOWN_KEY}{_address()}:{_account(user)}", 1, expires_in_sec=rules.RULES.known_days * 86400
	)


def clear(user: str | None = None, address: str | None = None):
	"""Lift a throttle (an administrator's bench console, or a test)."""
	if user:
		frappe.cache.delete_value(ACCOUNT_KEY + _account(user))
	if address:
		frappe.cache.delete_value(ADDRESS_KEY + address)
