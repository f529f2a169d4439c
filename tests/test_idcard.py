import datetime as dt

import pytest

from xinfang_app.domain import idcard

VALID = "11010519491231002X"  # the GB 11643 standard's own example
VALID_DIGIT = "440308199901010012"


def with_checksum(first17: str) -> str:
	return first17 + idcard.checksum_char(first17)


def test_standard_example_is_valid():
	parsed = idcard.parse(VALID)
	assert parsed.value == VALID
	assert parsed.birth_date == dt.date(1949, 12, 31)
	assert parsed.region_code == "110105"
	assert parsed.gender == "女"


def test_numeric_check_digit_and_gender_male():
	number = with_checksum("23990119800215003")
	parsed = idcard.parse(number)
	assert parsed.gender == "男"
	assert parsed.birth_date == dt.date(1980, 2, 15)


def test_lowercase_x_is_accepted_and_upper_cased():
	assert idcard.parse(VALID.lower()).value == VALID


def test_spaces_and_full_width_digits_are_folded():
	full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID)
	assert idcard.parse(" " + full_width + " ").value == VALID
	assert idcard.parse("110105 19491231 002X").value == VALID


def test_bad_checksum_names_position_18_and_expected_char():
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse(VALID[:17] + "1")
	assert caught.value.position == 18
	assert "第18位应为“X”" in caught.value.message_zh
	assert "should be 'X'" in str(caught.value)


def test_single_digit_typo_breaks_the_checksum():
	typo = VALID[:3] + "2" + VALID[4:]
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse(typo)
	assert caught.value.position == 18


def test_bad_date_is_reported():
	number = with_checksum("11010519490231002")  # 31 February
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse(number)
	assert caught.value.position == 7
	assert "19490231" in caught.value.message_zh


@pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002X1", "123"])
def test_wrong_length_is_reported(raw):
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse(raw)
	assert "18位" in caught.value.message_zh


def test_non_digit_in_body_names_its_position():
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse("1101A519491231002X")
	assert caught.value.position == 5
	assert "第5位" in caught.value.message_zh


def test_x_only_allowed_as_check_character():
	with pytest.raises(idcard.IdNumberError) as caught:
		idcard.parse("11010519491231002Y")
	assert caught.value.position == 18


def test_mask_keeps_first_and_last_character():
	assert idcard.mask(VALID_DIGIT) == "4****************2"
	assert idcard.mask(VALID) == "1****************X"
	assert idcard.mask("") == ""
	assert idcard.mask(None) == ""
	assert idcard.mask("12") == "**"


def test_mask_phone():
	assert idcard.mask_phone("13812345678") == "138****5678"
	assert idcard.mask_phone("4511234") == "*****34"
	assert idcard.mask_phone(None) == ""


def test_checksum_char_needs_17_digits():
	with pytest.raises(ValueError):
		idcard.checksum_char("123")
