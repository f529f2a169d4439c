from xinfang_app.naming import sync_series_with_existing_names


def execute():
	"""Records are now numbered per doctype and per year of their own date; existing names stay, and each
	new counter starts after them."""
	sync_series_with_existing_names()
