"""domain.login_throttle: an account is throttled after its own failures; an address only for strangers."""

from __future__ import annotations

from xinfang_app.domain import login_throttle as lt

R = lt.Rules(window_seconds=900, account_failures=5, address_failures=30)
NOW = 10_000.0


def test_an_account_is_throttled_after_five_failures_in_the_window():
	four = [NOW - 60 * i for i in range(1, 5)]
	assert lt.refusal(four, [], NOW, known_at_address=True, rules=R) == 0
	five = [*four, NOW - 10]
	wait = lt.refusal(five, [], NOW, known_at_address=True, rules=R)
	# the oldest of the five counted (NOW - 240) leaves the window 660 s from now
	assert wait == 661


def test_old_failures_do_not_count():
	old = [NOW - 901 - i for i in range(10)]
	assert lt.refusal(old, old, NOW, known_at_address=False, rules=R) == 0
	assert lt.recent(old, NOW, R) == []


def test_an_address_is_throttled_for_strangers_only():
	sprayed = [NOW - i for i in range(30)]
	assert lt.refusal([], sprayed, NOW, known_at_address=False, rules=R) > 0
	assert lt.refusal([], sprayed, NOW, known_at_address=True, rules=R) == 0  # the office keeps working
	assert lt.refusal([], sprayed[:29], NOW, known_at_address=False, rules=R) == 0


def test_the_longer_wait_wins_and_the_message_is_in_minutes():
	account = [NOW - 800 - i for i in range(5)]
	address = [NOW - 100 - i for i in range(30)]
	wait = lt.refusal(account, address, NOW, known_at_address=False, rules=R)
	assert wait == lt.wait_seconds(address, 30, NOW, R) > lt.wait_seconds(account, 5, NOW, R)
	assert "分钟后再试" in lt.message_zh(wait)
	assert lt.message_zh(61).startswith("登录失败次数过多，请 2 分钟后再试")


def test_only_the_last_kept_failures_are_remembered():
	many = [NOW - i * 0.5 for i in range(500)]
	assert len(lt.recent(many, NOW, R)) == R.kept
