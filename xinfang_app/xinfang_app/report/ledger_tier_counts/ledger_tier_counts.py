"""台账分级统计: ledger entries by tier (一级/二级/三级) per township, within the reader's scope."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import dispute_stats as ds


def execute(filters=None):
	filters = frappe._dict(filters or {})
	period = reporting.period_from(filters)
	sums = reporting.scoped_sums(
		filters, ds.tier_parts(period, reporting.quote), "township", doctype="Dispute Ledger Entry"
	)
	counted = ds.tier_rows(sums, reporting.townships_in_scope(filters))
	rows = reporting.rows_with_total(counted, row_of, "township")
	message = _("On the ledger: found by {0} and not closed (销号) by then").format(
		frappe.utils.formatdate(period.end)
	)
	return columns(), rows, message, chart(rows[:-1])


def row_of(r: ds.TierRow, label: str) -> dict:
	row = {"township": label, "on_ledger_total": r.on_ledger_total, "closed": r.closed}
	for number, tier in enumerate(ds.TIERS, start=1):
		row[f"new_{number}"] = r.new[tier]
		row[f"on_ledger_{number}"] = r.on_ledger[tier]
	return row


def columns():
	columns = [{"fieldname": "township", "label": _("Township"), "fieldtype": "Data", "width": 160}]
	for number, tier in enumerate(ds.TIERS, start=1):
		columns.append(
			{"fieldname": f"new_{number}", "label": f"新增{tier}", "fieldtype": "Int", "width": 90}
		)
	for number, tier in enumerate(ds.TIERS, start=1):
		columns.append(
			{"fieldname": f"on_ledger_{number}", "label": f"在册{tier}", "fieldtype": "Int", "width": 90}
		)
	columns += [
		{"fieldname": "on_ledger_total", "label": _("On the Ledger"), "fieldtype": "Int", "width": 90},
		{"fieldname": "closed", "label": _("Closed in Period"), "fieldtype": "Int", "width": 100},
	]
	return columns


def chart(rows):
	return {
		"data": {
			"labels": [row["township"] for row in rows],
			"datasets": [
				{"name": f"在册{tier}", "values": [row[f"on_ledger_{number}"] for row in rows]}
				for number, tier in enumerate(ds.TIERS, start=1)
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
