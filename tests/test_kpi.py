"""KPI formulas against a hand-counted county of fourteen petitions.

The period is March 2026 and reports are read on 31 March unless a test says otherwise. The comments next to
each expected figure list the petitions (by letter) that make up numerator and denominator; every figure was
counted by hand from the table below, not computed by the module.
"""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date

import pytest

from xinfang_app.domain import kpi
from xinfang_app.domain.kpi import KpiError, Period, PetitionFacts, Rate

D = date
MARCH = Period.month(2026, 3)
AS_OF = D(2026, 3, 31)
CHENGGUAN, NAKAN, HAIYUAN, AIDIAN = "城关镇", "那堪镇", "海渊镇", "爱店镇"


def pet(name: str, **values) -> PetitionFacts:
	return PetitionFacts(name=name, **values)


# fmt: off
PETITIONS = {
	# accepted and replied in March, closed 3/28, rated 满意
	"A": pet("A", township=CHENGGUAN, category="农村低保", channel="来访", received_on=D(2026, 3, 2),
		acceptance_due=D(2026, 3, 17), accepted_on=D(2026, 3, 5), handling_due=D(2026, 5, 4),
		replied_on=D(2026, 3, 20), satisfaction="满意", workflow_state="Case Closed", closed_on=D(2026, 3, 28)),
	# received in February, accepted one day late on 3/10, replied on the last day of March
	"B": pet("B", township=CHENGGUAN, category="征地拆迁", channel="来信", received_on=D(2026, 2, 20),
		acceptance_due=D(2026, 3, 9), accepted_on=D(2026, 3, 10), handling_due=D(2026, 5, 11),
		replied_on=D(2026, 3, 31), satisfaction="基本满意", workflow_state="Follow-up"),
	# accepted exactly on its acceptance_due, still being handled
	"C": pet("C", township=CHENGGUAN, category="农村低保", channel="网上信访", received_on=D(2026, 3, 3),
		acceptance_due=D(2026, 3, 18), accepted_on=D(2026, 3, 18), handling_due=D(2026, 5, 18),
		workflow_state="Handling"),
	# replied after handling_due (3/11) but within the extension (4/10); rated 不满意
	"D": pet("D", township=NAKAN, category="劳动争议和农民工工资", channel="来访", received_on=D(2026, 1, 5),
		acceptance_due=D(2026, 1, 20), accepted_on=D(2026, 1, 10), handling_due=D(2026, 3, 11),
		extended_due=D(2026, 4, 10), replied_on=D(2026, 3, 25), satisfaction="不满意",
		workflow_state="Follow-up"),
	# replied two days late, not rated yet
	"E": pet("E", township=NAKAN, category="农村低保", channel="来访", received_on=D(2026, 1, 6),
		acceptance_due=D(2026, 1, 21), accepted_on=D(2026, 1, 9), handling_due=D(2026, 3, 10),
		replied_on=D(2026, 3, 12), satisfaction="未评价", workflow_state="Reply Issued"),
	# a repeat petition handled within March, closed on the last day
	"F": pet("F", township=NAKAN, category="征地拆迁", channel="电话", received_on=D(2026, 3, 10),
		acceptance_due=D(2026, 3, 25), accepted_on=D(2026, 3, 12), handling_due=D(2026, 5, 11),
		replied_on=D(2026, 3, 30), satisfaction="满意", repeat_of="XF-2025-00007", workflow_state="Case Closed",
		closed_on=D(2026, 3, 31)),
	# acceptance pending past 3/30
	"G": pet("G", township=HAIYUAN, category="其他", channel="来访", received_on=D(2026, 3, 15),
		acceptance_due=D(2026, 3, 30), workflow_state="Pending Acceptance"),
	# a repeat received on the last day of March
	"H": pet("H", township=HAIYUAN, category="邻里纠纷", channel="来信", received_on=D(2026, 3, 31),
		acceptance_due=D(2026, 4, 15), repeat_of="XF-2026-00002", workflow_state="Registration"),
	# handling deadline 3/3 passed, no reply
	"I": pet("I", township=CHENGGUAN, category="干部作风", channel="来访", received_on=D(2025, 12, 28),
		acceptance_due=D(2026, 1, 12), accepted_on=D(2026, 1, 2), handling_due=D(2026, 3, 3),
		workflow_state="Handling"),
	# closed in March after one redo
	"J": pet("J", township=NAKAN, category="农村低保", channel="来访", received_on=D(2025, 12, 10),
		acceptance_due=D(2025, 12, 25), accepted_on=D(2025, 12, 20), handling_due=D(2026, 2, 18),
		replied_on=D(2026, 2, 20), satisfaction="满意", redo_count=1, workflow_state="Case Closed",
		closed_on=D(2026, 3, 15)),
	# closed in March, but a 复查 was requested
	"K": pet("K", township=CHENGGUAN, category="征地拆迁", channel="来信", received_on=D(2026, 1, 20),
		acceptance_due=D(2026, 2, 4), accepted_on=D(2026, 1, 25), handling_due=D(2026, 3, 26),
		replied_on=D(2026, 2, 25), satisfaction="满意", review_requested=True, workflow_state="Case Closed",
		closed_on=D(2026, 3, 20)),
	# not accepted: counts as received, never overdue
	"L": pet("L", township=HAIYUAN, category="其他", channel="来信", received_on=D(2026, 3, 5),
		acceptance_due=D(2026, 3, 20), workflow_state="Not Accepted"),
	# replied 3/2, rated 不满意 and redone: back in Handling with its old reply date, handling_due 3/16 passed
	"M": pet("M", township=NAKAN, category="农村低保", channel="电话", received_on=D(2026, 1, 12),
		acceptance_due=D(2026, 1, 27), accepted_on=D(2026, 1, 15), handling_due=D(2026, 3, 16),
		replied_on=D(2026, 3, 2), satisfaction="未评价", redo_count=1, workflow_state="Handling"),
	# April: outside every March figure
	"N": pet("N", township=CHENGGUAN, category="其他", channel="来访", received_on=D(2026, 4, 1),
		acceptance_due=D(2026, 4, 16), accepted_on=D(2026, 4, 1), handling_due=D(2026, 5, 31),
		workflow_state="Accepted"),
}
# fmt: on
ALL = list(PETITIONS.values())


def nums(rate: Rate) -> tuple:
	return astuple(rate)


# --- the seven rates on the hand-counted table


def test_timely_acceptance_counts_acceptance_on_the_due_day_and_not_a_day_later():
	# accepted in March: A, B, C, F; B was accepted 3/10 against 3/9; C on its due day 3/18 is timely
	assert nums(kpi.timely_acceptance_rate(ALL, MARCH)) == (3, 4, 75.0)


def test_on_time_completion_uses_the_extension_and_the_period_end_is_inclusive():
	# replied in March: A, B (3/31), D, E, F, M; only E (3/12 against 3/10) is late; D is in time by extension
	assert nums(kpi.on_time_completion_rate(ALL, MARCH)) == (5, 6, 83.3)


def test_extended_due_takes_precedence_over_handling_due():
	d = PETITIONS["D"]
	assert nums(kpi.on_time_completion_rate([d], MARCH)) == (1, 1, 100.0)
	without_extension = replace(d, extended_due=None)
	assert nums(kpi.on_time_completion_rate([without_extension], MARCH)) == (0, 1, 0.0)


def test_reply_on_the_due_day_is_on_time():
	due = D(2026, 3, 10)
	on_due = pet("x", accepted_on=D(2026, 1, 9), handling_due=due, replied_on=due)
	day_after = pet("y", accepted_on=D(2026, 1, 9), handling_due=due, replied_on=D(2026, 3, 11))
	assert nums(kpi.on_time_completion_rate([on_due, day_after], MARCH)) == (1, 2, 50.0)


def test_completion_rate_counts_march_acceptances_concluded_by_the_reading_day():
	# accepted in March: A, B, C, F; concluded by 3/31: A, B (replied 3/31), F
	assert nums(kpi.completion_rate(ALL, MARCH, AS_OF)) == (3, 4, 75.0)
	# on 3/30 B's reply has not been given yet
	assert nums(kpi.completion_rate(ALL, MARCH, D(2026, 3, 30))) == (2, 4, 50.0)


def test_redone_petition_is_not_concluded_although_it_carries_a_reply_date():
	# accepted in January: I, D, E, M, K; concluded by 3/31: D, E, K; M was redone and I never replied
	assert nums(kpi.completion_rate(ALL, Period.month(2026, 1), AS_OF)) == (3, 5, 60.0)
	# on 3/20 D (replied 3/25) was still open
	assert nums(kpi.completion_rate(ALL, Period.month(2026, 1), D(2026, 3, 20))) == (2, 5, 40.0)


def test_evaluation_rate_ignores_unrated_replies():
	# replied in March: A, B, D, E, F, M; rated: A 满意, B 基本满意, D 不满意, F 满意
	assert nums(kpi.evaluation_rate(ALL, MARCH)) == (4, 6, 66.7)


def test_satisfaction_rate_counts_basically_satisfied_unless_told_not_to():
	# rated: A, B, D, F; satisfied: A, B (基本满意), F
	assert nums(kpi.satisfaction_rate(ALL, MARCH)) == (3, 4, 75.0)
	assert nums(kpi.satisfaction_rate(ALL, MARCH, basic_counts_as_satisfied=False)) == (2, 4, 50.0)


def test_one_time_resolution_excludes_redone_and_reviewed_cases():
	# closed in March: A, F (3/31), J (redone once), K (复查 requested)
	assert nums(kpi.one_time_resolution_rate(ALL, MARCH)) == (2, 4, 50.0)


def test_one_time_resolution_excludes_dissatisfied_and_review_states():
	closed = D(2026, 3, 5)
	dissatisfied = pet("x", closed_on=closed, satisfaction="不满意", workflow_state="Case Closed")
	in_review = pet("y", closed_on=closed, satisfaction="满意", workflow_state="Reviewed")
	clean = pet("z", closed_on=closed, satisfaction="基本满意", workflow_state="Case Closed")
	assert nums(kpi.one_time_resolution_rate([dissatisfied, in_review, clean], MARCH)) == (1, 3, 33.3)


def test_repeat_petition_rate_counts_receipts_including_the_last_day():
	# received in March: A, C, F, G, H (3/31), L; repeats: F, H
	assert nums(kpi.repeat_petition_rate(ALL, MARCH)) == (2, 6, 33.3)


# --- overdue


def test_overdue_on_the_reading_day():
	# G pending acceptance past 3/30, I past handling_due 3/3, M redone past 3/16; L (not accepted) never is
	assert [p.name for p in kpi.overdue_petitions(ALL, AS_OF)] == ["G", "I", "M"]


def test_overdue_starts_the_day_after_the_due_day():
	assert not kpi.is_overdue(PETITIONS["G"], D(2026, 3, 30))
	assert kpi.is_overdue(PETITIONS["G"], D(2026, 3, 31))


def test_an_ended_petition_without_dates_is_not_overdue():
	ended = pet("x", accepted_on=D(2026, 1, 5), handling_due=D(2026, 3, 6), workflow_state="Resolved")
	assert not kpi.is_overdue(ended, AS_OF)
	assert kpi.is_overdue(replace(ended, workflow_state="Handling"), AS_OF)


def test_overdue_on_a_past_day_follows_the_dates():
	# E was replied 3/12 against 3/10, and is in Reply Issued now: overdue on 3/11, no longer on 3/12
	assert kpi.is_overdue(PETITIONS["E"], D(2026, 3, 11))
	assert not kpi.is_overdue(PETITIONS["E"], D(2026, 3, 12))
	# a petition accepted late was overdue for acceptance on the days in between
	late = replace(PETITIONS["B"], accepted_on=D(2026, 3, 12))
	assert kpi.is_overdue(late, D(2026, 3, 11))
	assert not kpi.is_overdue(late, D(2026, 3, 12))


def test_overdue_handling_uses_the_extension():
	d = PETITIONS["D"]
	open_d = replace(d, replied_on=None, workflow_state="Extended")
	assert not kpi.is_overdue(open_d, D(2026, 4, 10))
	assert kpi.is_overdue(open_d, D(2026, 4, 11))


# --- empty and complete periods


def test_empty_period_has_no_rates_at_all():
	summary = kpi.kpi_summary(ALL, Period.month(2025, 6), D(2025, 6, 30))
	for field_name in kpi.KPI_LABELS_ZH:
		assert nums(getattr(summary, field_name)) == (0, 0, None), field_name
	assert (summary.received, summary.accepted, summary.replied, summary.closed) == (0, 0, 0, 0)


def test_no_petitions_at_all_gives_no_rates_and_no_error():
	summary = kpi.kpi_summary([], MARCH, AS_OF)
	assert summary.overdue == 0
	assert {nums(getattr(summary, f)) for f in kpi.KPI_LABELS_ZH} == {(0, 0, None)}
	assert kpi.change(0, 0) is None


def test_all_on_time_is_one_hundred():
	prompt = [PETITIONS[k] for k in ("A", "C", "F")]
	assert nums(kpi.timely_acceptance_rate(prompt, MARCH)) == (3, 3, 100.0)
	assert nums(kpi.on_time_completion_rate(prompt, MARCH)) == (2, 2, 100.0)


def test_kpi_summary_collects_every_figure():
	summary = kpi.kpi_summary(ALL, MARCH, AS_OF)
	assert (summary.received, summary.accepted, summary.replied, summary.closed, summary.overdue) == (
		6,
		4,
		6,
		4,
		3,
	)
	assert [getattr(summary, f).value for f in kpi.KPI_LABELS_ZH] == [
		75.0,
		83.3,
		75.0,
		66.7,
		75.0,
		50.0,
		33.3,
	]


def test_missing_acceptance_due_is_timely_only_when_accepted_on_the_day_of_receipt():
	same_day = pet("x", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2))
	later = pet("y", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 3))
	assert nums(kpi.timely_acceptance_rate([same_day, later], MARCH)) == (1, 2, 50.0)


# --- Rate and change arithmetic


def test_rates_and_changes_round_half_up_not_to_even():
	assert Rate(1, 16).value == 6.3  # 6.25; round(6.25, 1) would give 6.2
	assert kpi.change(449, 400) == 12.3  # +12.25
	assert kpi.change(351, 400) == -12.3  # -12.25, away from zero like 四舍五入
	assert Rate(0, 5).value == 0.0


def test_change_is_negative_for_a_fall_and_none_from_zero():
	assert kpi.change(120, 100) == 20.0
	assert kpi.change(5, 100) == -95.0
	assert kpi.change(2, 3) == -33.3
	assert kpi.change(3, 0) is None
	assert kpi.change(97.2, None) is None
	assert kpi.change(97.2, 94.3) == 3.1  # 2.9 / 94.3 = 3.075...%


def test_rate_refuses_a_numerator_above_the_denominator():
	with pytest.raises(KpiError):
		Rate(3, 2)


# --- periods


def test_month_period_in_leap_and_common_years():
	assert Period.month(2024, 2) == Period(D(2024, 2, 1), D(2024, 2, 29))
	assert Period.month(2025, 2).end == D(2025, 2, 28)
	assert D(2024, 2, 29) in Period.month(2024, 2)
	assert Period.month(2024, 2).is_month and not Period(D(2024, 2, 1), D(2024, 2, 28)).is_month


def test_previous_month_across_january_and_into_a_leap_february():
	assert kpi.previous_month(Period.month(2026, 1)) == Period.month(2025, 12)
	assert kpi.previous_month(Period.month(2024, 3)) == Period.month(2024, 2)
	assert kpi.previous_month(Period.month(2025, 3)) == Period.month(2025, 2)


def test_same_period_last_year_keeps_february_whole():
	assert kpi.same_period_last_year(Period.month(2025, 2)) == Period(D(2024, 2, 1), D(2024, 2, 29))
	assert kpi.same_period_last_year(Period.month(2024, 2)) == Period(D(2023, 2, 1), D(2023, 2, 28))
	# a part of a month keeps its days: 1-15 March 2026 against 1-15 March 2025
	assert kpi.same_period_last_year(Period(D(2026, 3, 1), D(2026, 3, 15))) == Period(
		D(2025, 3, 1), D(2025, 3, 15)
	)


def test_bad_periods_are_refused_in_chinese():
	with pytest.raises(KpiError) as error:
		Period(D(2026, 3, 31), D(2026, 3, 1))
	assert "晚于" in error.value.message_zh
	with pytest.raises(KpiError):
		Period.month(2026, 13)


# --- township ranking


def test_township_ranking_on_the_hand_counted_table():
	rows = kpi.township_ranking(ALL, MARCH, AS_OF, townships=[CHENGGUAN, NAKAN, HAIYUAN, AIDIAN])
	table = [
		(
			r.rank,
			r.township,
			r.received,
			r.accepted,
			r.replied,
			r.completion.value,
			r.on_time_completion.value,
			r.overdue,
		)
		for r in rows
	]
	assert table == [
		# 那堪镇: accepted F, concluded F; replied D, E, F, M of which E late; overdue M
		(1, NAKAN, 1, 1, 1, 100.0, 75.0, 1),
		# 城关镇: received A, C; accepted A, B, C, concluded A, B; replied A, B on time; overdue I
		(2, CHENGGUAN, 2, 3, 2, 66.7, 100.0, 1),
		# no acceptances: last; the empty 爱店镇 has no overdue case, 海渊镇 has G
		(3, AIDIAN, 0, 0, 0, None, None, 0),
		(4, HAIYUAN, 3, 0, 0, None, None, 1),
	]


def make_township(township: str, accepted: int, concluded: int, overdue: int = 0) -> list[PetitionFacts]:
	"""`accepted` petitions accepted 3/2 and due 5/1, the first `concluded` replied on time on 3/20, plus
	`overdue` petitions accepted in 2025 whose handling deadline passed in February."""
	rows = [
		pet(
			f"{township}-{i}",
			township=township,
			accepted_on=D(2026, 3, 2),
			handling_due=D(2026, 5, 1),
			replied_on=D(2026, 3, 20) if i < concluded else None,
			workflow_state="Reply Issued" if i < concluded else "Handling",
		)
		for i in range(accepted)
	]
	rows += [
		pet(
			f"{township}-late-{i}",
			township=township,
			accepted_on=D(2025, 12, 1),
			handling_due=D(2026, 2, 1),
			workflow_state="Handling",
		)
		for i in range(overdue)
	]
	return rows


def test_equal_keys_share_a_rank_and_the_next_rank_skips():
	# 1/2 and 2/4 are the same 办结率 exactly, with the same 按期办结率 (100) and no overdue
	petitions = (
		make_township("甲", 2, 1)
		+ make_township("乙", 4, 2)
		+ make_township("丙", 3, 3)
		+ make_township("丁", 3, 1)
	)
	rows = kpi.township_ranking(petitions, MARCH, AS_OF)
	assert [(r.rank, r.township) for r in rows] == [(1, "丙"), (2, "乙"), (2, "甲"), (4, "丁")]


def test_overdue_count_breaks_a_tie_in_both_rates():
	petitions = make_township("甲", 2, 2, overdue=1) + make_township("乙", 2, 2)
	rows = kpi.township_ranking(petitions, MARCH, AS_OF)
	assert [(r.rank, r.township, r.overdue) for r in rows] == [(1, "乙", 0), (2, "甲", 1)]


def test_ranking_compares_exact_ratios_not_printed_values():
	# 667/1000 and 2/3 both print 66.7, but 667/1000 is the higher: no shared rank
	petitions = make_township("乙", 3, 2) + make_township("甲", 1000, 667)
	rows = kpi.township_ranking(petitions, MARCH, AS_OF)
	assert [(r.rank, r.township, r.completion.value) for r in rows] == [(1, "甲", 66.7), (2, "乙", 66.7)]


def test_townships_without_rates_rank_after_a_zero_rate():
	county_level = pet("y", accepted_on=D(2026, 3, 2))  # no township: not a row of the ranking
	petitions = [*make_township("甲", 2, 0), pet("x", township="乙", received_on=D(2026, 3, 3)), county_level]
	rows = kpi.township_ranking(petitions, MARCH, AS_OF, townships=["丙"])
	assert [(r.rank, r.township, r.completion.value) for r in rows] == [
		(1, "甲", 0.0),
		(2, "丙", None),
		(2, "乙", None),
	]


# --- counts and the situation table


def test_count_by_category_orders_by_count_then_key():
	counts = kpi.count_by(ALL, "category", MARCH, keys=["医疗"])
	assert list(counts.items()) == [
		("其他", 2),
		("农村低保", 2),
		("征地拆迁", 1),
		("邻里纠纷", 1),
		("医疗", 0),
	]


def test_count_by_channel_and_township():
	assert kpi.count_by(ALL, "channel", MARCH) == {"来信": 2, "来访": 2, "电话": 1, "网上信访": 1}
	assert list(kpi.count_by(ALL, "township", MARCH).items()) == [(HAIYUAN, 3), (CHENGGUAN, 2), (NAKAN, 1)]


def test_count_by_month_lists_every_month_including_empty_ones():
	winter = Period(D(2025, 11, 1), D(2026, 1, 31))
	assert list(kpi.count_by(ALL, "month", winter).items()) == [
		("2025-11", 0),
		("2025-12", 2),
		("2026-01", 4),
	]
	quarter = Period(D(2026, 1, 1), D(2026, 3, 31))
	assert kpi.count_by(ALL, "month", quarter) == {"2026-01": 4, "2026-02": 1, "2026-03": 6}


def test_count_by_refuses_an_unknown_key():
	with pytest.raises(KpiError):
		kpi.count_by(ALL, "petitioner", MARCH)
	with pytest.raises(KpiError):
		kpi.situation_table(ALL, "month", MARCH)


def received(category: str, day: date, n: int) -> list[PetitionFacts]:
	return [pet(f"{category}-{day}-{i}", category=category, received_on=day) for i in range(n)]


def test_situation_table_across_january_with_a_zero_previous_year():
	petitions = (
		received("农村低保", D(2026, 1, 31), 6)
		+ received("农村低保", D(2025, 12, 1), 4)
		+ received("农村低保", D(2025, 1, 15), 8)
		+ received("征地拆迁", D(2026, 1, 1), 3)
		+ received("征地拆迁", D(2025, 12, 31), 3)
		+ received("医疗", D(2025, 12, 20), 2)
		+ received("医疗", D(2024, 12, 20), 9)  # December 2024 is in neither comparison period
		+ received("教育", D(2025, 1, 2), 1)
	)
	table = kpi.situation_table(petitions, "category", Period.month(2026, 1))
	assert table.previous_period == Period.month(2025, 12)
	assert table.last_year_period == Period.month(2025, 1)
	assert [astuple(row) for row in table.rows] == [
		("农村低保", 6, 4, 8, 50.0, -25.0),
		("征地拆迁", 3, 3, 0, 0.0, None),  # nothing a year ago: no 同比
		("医疗", 0, 2, 0, -100.0, None),  # seen only in December
		("教育", 0, 0, 1, None, -100.0),  # seen only a year ago
	]
	assert astuple(table.total) == (None, 9, 9, 9, 0.0, 0.0)


def test_situation_table_for_a_leap_february():
	petitions = (
		received("其他", D(2024, 2, 29), 2)
		+ received("其他", D(2025, 2, 28), 3)
		+ received("其他", D(2025, 1, 31), 1)
	)
	row = kpi.situation_table(petitions, "category", Period.month(2025, 2)).rows[0]
	# 29 February 2024 belongs to last year's February
	assert astuple(row) == ("其他", 3, 1, 2, 200.0, 50.0)


# --- input rows


def test_from_mapping_reads_database_rows():
	row = {
		"name": "XF-2026-00001",
		"received_on": "2026-03-02",
		"accepted_on": "2026-03-05 10:12:00",
		"satisfaction": "",
		"redo_count": None,
		"review_requested": "0",
		"subject": "ignored",
	}
	facts = PetitionFacts.from_mapping(row)
	assert facts.received_on == D(2026, 3, 2) and facts.accepted_on == D(2026, 3, 5)
	assert facts.satisfaction is None and facts.township is None and facts.handling_due is None
	assert facts.redo_count == 0 and facts.review_requested is False
	assert PetitionFacts.from_mapping({"review_requested": 1}).review_requested is True


def test_formulas_accept_plain_rows():
	rows = [
		{"accepted_on": "2026-03-05", "acceptance_due": "2026-03-17"},
		{"accepted_on": D(2026, 3, 20), "acceptance_due": D(2026, 3, 17)},
	]
	assert nums(kpi.timely_acceptance_rate(rows, MARCH)) == (1, 2, 50.0)
