"""Chinese resident identity numbers (GB 11643-1999): validation and masking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
FULL_WIDTH_OFFSET = 0xFEE0


class IdNumberError(ValueError):
	"""A bad ID number; `message_zh` is shown to the user, `str(self)` goes to logs."""

	def __init__(self, message_zh: str, message_en: str, position: int | None = None):
		super().__init__(message_en)
		self.message_zh = message_zh
		self.position = position


@dataclass(frozen=True)
class IdNumber:
	value: str
	region_code: str
	birth_date: dt.date
	gender: str  # "男" or "女"


def normalize(raw: str) -> str:
	"""Strip spaces, fold full-width digits and letters, upper-case the check character."""
	out = []
	for ch in (raw or "").strip():
		code = ord(ch)
		if 0xFF01 <= code <= 0xFF5E:
			ch = chr(code - FULL_WIDTH_OFFSET)
		if ch in " \u3000\t-":
			continue
		out.append(ch)
	return "".join(out).upper()


def checksum_char(first17: str) -> str:
	"""The 18th character that GB 11643 prescribes for the first 17 digits."""
	if len(first17) != 17 or not first17.isdigit():
		raise ValueError("checksum_char needs exactly 17 digits")
	total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
	return CHECK_CHARS[total % 11]


def parse(raw: str) -> IdNumber:
	"""Validate an 18-digit ID number; raise IdNumberError naming what is wrong."""
	value = normalize(raw)
	if len(value) != 18:
		raise IdNumberError(
			f"身份证号码应为18位，当前为{len(value)}位",
			f"ID number must have 18 characters, got {len(value)}",
		)
	for index, ch in enumerate(value[:17], start=1):
		if not ch.isdigit():
			raise IdNumberError(
				f"身份证号码第{index}位“{ch}”不是数字",
				f"ID number character {index} ({ch!r}) is not a digit",
				position=index,
			)
	if not (value[17].isdigit() or value[17] == "X"):
		raise IdNumberError(
			f"身份证号码第18位（校验码）“{value[17]}”只能是数字或X",
			f"ID number check character {value[17]!r} must be a digit or X",
			position=18,
		)
	try:
		birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
	except ValueError:
		raise IdNumberError(
			f"身份证号码第7至14位的出生日期“{value[6:14]}”不是有效日期",
			f"ID number birth date {value[6:14]} (characters 7-14) is not a valid date",
			position=7,
		) from None
	if birth.year < 1900:
		raise IdNumberError(
			f"身份证号码第7至14位的出生日期“{value[6:14]}”早于1900年",
			f"ID number birth date {value[6:14]} is before 1900",
			position=7,
		)
	expected = checksum_char(value[:17])
	if value[17] != expected:
		raise IdNumberError(
			f"身份证号码校验码错误：第18位应为“{expected}”，实际为“{value[17]}”，请核对各位数字",
			f"ID number checksum mismatch: character 18 should be {expected!r}, got {value[17]!r}",
			position=18,
		)
	gender = "男" if int(value[16]) % 2 else "女"
	return IdNumber(value=value, region_code=value[:6], birth_date=birth, gender=gender)


def mask(value: str | None, keep_head: int = 1, keep_tail: int = 1) -> str:
	"""Mask all but the first and last characters: 4****************2."""
	if not value:
		return ""
	if len(value) <= keep_head + keep_tail:
		return "*" * len(value)
	return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_phone(value: str | None) -> str:
	"""Mask a phone number as 138****5678; short numbers keep only the last two digits."""
	if not value:
		return ""
	value = value.strip()
	if len(value) >= 11:
		return value[:3] + "*" * (len(value) - 7) + value[-4:]
	return mask(value, keep_head=0, keep_tail=2)
