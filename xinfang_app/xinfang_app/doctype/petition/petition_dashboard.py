from frappe import _


def get_data():
	"""The petition's Connections: the records made about it, each counted and opened from the form."""
	return {
		"fieldname": "petition",
		"transactions": [
			{
				"label": _("Follow-up and Review"),
				"items": ["Follow-up Visit", "Petition Review"],
			},
			{
				"label": _("Supervision and Leader Cases"),
				"items": ["Supervision Notice", "Leader Case Assignment"],
			},
		],
	}
