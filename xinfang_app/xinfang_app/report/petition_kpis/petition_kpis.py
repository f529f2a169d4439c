"""信访工作指标: 及时受理率, 按期办结率, 办结率, 参评率, 满意率, 一次性化解率, 重复信访率 of a period (domain/kpi.py)."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import kpi

# What each rate counts, as the README writes it out (the kpi.py docstrings are the reference).
FORMULAS = {
	"timely_acceptance": "期内受理且不晚于受理期限的件数 ÷ 期内受理件数",
	"on_time_completion": "期内答复且不晚于（延期后）办理期限的件数 ÷ 期内答复件数",
	"completion": "期内受理且截至统计日已办结（答复或销号、未重办）的件数 ÷ 期内受理件数",
	"evaluation": "期内答复且信访人已评价（满意/基本满意/不满意）的件数 ÷ 期内答复件数",
	"satisfaction": "评价为满意或基本满意的件数 ÷ 期内答复且已评价的件数",
	"one_time_resolution": "期内销号且未重办、未申请复查、未评价不满意的件数 ÷ 期内销号件数",
	"repeat_petition": "期内收到且登记为重复信访的件数 ÷ 期内收到件数",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	period = reporting.period_from(filters)
	summary = compute(filters, period)
	return columns(), rows_of(summary), None, chart(summary), report_summary(summary)


def compute(filters, period: kpi.Period, day=None) -> kpi.KpiSummary:
	day = day or reporting.as_of(filters, period)
	try:
		return kpi.summary_from_counts(period, day, reporting.kpi_counts(filters, period, day))
	except kpi.KpiError as error:
		reporting.throw_kpi_error(error)


def rows_of(summary: kpi.KpiSummary) -> list[dict]:
	rows = []
	for key, label in kpi.KPI_LABELS_ZH.items():
		rate: kpi.Rate = getattr(summary, key)
		rows.append(
			{
				"indicator": label,
				"key": key,
				"numerator": rate.numerator,
				"denominator": rate.denominator,
				"rate": rate.value,
				"formula": FORMULAS[key],
			}
		)
	return rows


def columns():
	return [
		{"fieldname": "indicator", "label": _("Indicator"), "fieldtype": "Data", "width": 130},
		{"fieldname": "rate", "label": _("Rate (%)"), "fieldtype": "Float", "precision": 1, "width": 90},
		{"fieldname": "numerator", "label": _("Counted"), "fieldtype": "Int", "width": 80},
		{"fieldname": "denominator", "label": _("Out Of"), "fieldtype": "Int", "width": 80},
		{"fieldname": "formula", "label": _("How It Is Counted"), "fieldtype": "Data", "width": 480},
	]


def chart(summary):
	rows = rows_of(summary)
	return {
		"data": {
			"labels": [row["indicator"] for row in rows],
			"datasets": [{"name": _("Rate (%)"), "values": [row["rate"] or 0 for row in rows]}],
		},
		"type": "bar",
		"fieldtype": "Percent",
	}


def report_summary(summary):
	return [
		{"value": summary.received, "label": _("Petitions Received"), "datatype": "Int", "indicator": "Blue"},
		{"value": summary.accepted, "label": _("Accepted in Period"), "datatype": "Int", "indicator": "Blue"},
		{"value": summary.replied, "label": _("Replied in Period"), "datatype": "Int", "indicator": "Green"},
		{"value": summary.closed, "label": _("Closed in Period"), "datatype": "Int", "indicator": "Green"},
		{"value": summary.overdue, "label": _("Overdue Now"), "datatype": "Int", "indicator": "Red"},
	]
