"""Failed logins slow an attacker down without locking out an office (issue 10).

Frappe's own tracker counts an address's failures with the same limit as an account's and then refuses
every login from that address (answering 500): one guessing user behind a township's shared address
would lock the whole township out. The app counts instead:

- per account: after `account_failures` failed logins within `window_seconds`, the account takes no
  login (not even with the right password) until the oldest of those failures leaves the window;
- per address: after `address_failures` failures from one address within the window, the address takes
  no login for accounts that have not logged in successfully from it before (`known_days`); the officers
  who work there keep logging in while a password sprayer behind the same address is stopped.

Pure: times are seconds (floats), the caller keeps the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rules:
	window_seconds: int = 15 * 60
	account_failures: int = 5
	address_failures: int = 30
	known_days: int = 30
	kept: int = 100  # failures remembered per key


RULES = Rules()


def recent(failures: Sequence[float], now: float, rules: Rules = RULES) -> list[float]:
	"""The failures still inside the window, oldest first, at most `kept` of them."""
	return sorted(t for t in failures if 0 <= now - t < rules.window_seconds)[-rules.kept :]


def wait_seconds(failures: Sequence[float], limit: int, now: float, rules: Rules = RULES) -> int:
	"""0 when fewer than `limit` failures are in the window; else the seconds until one fewer is."""
	inside = recent(failures, now, rules)
	if len(inside) < limit:
		return 0
	oldest_counted = inside[-limit]
	return max(1, int(rules.window_seconds - (now - oldest_counted)) + 1)


def refusal(
	account_failures: Sequence[float],
	address_failures: Sequence[float],
	now: float,
	known_at_address: bool,
	rules: Rules = RULES,
) -> int:
	"""Seconds the login must wait (0: it may go on)."""
	wait = wait_seconds(account_failures, rules.account_failures, now, rules)
	if not known_at_address:
		wait = max(wait, wait_seconds(address_failures, rules.address_failures, now, rules))
	return wait


def message_zh(wait: int) -> str:
	minutes = max(1, -(-wait // 60))
	return f"登录失败次数过多，请 {minutes} 分钟后再试。如忘记密码，请使用“忘记密码”或联系系统管理员。"
