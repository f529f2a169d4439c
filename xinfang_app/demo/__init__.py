"""The demo county: deterministic sample data, no frappe import."""
