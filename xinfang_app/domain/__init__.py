"""Pure core of xinfang_app: rules and arithmetic with no frappe import."""
