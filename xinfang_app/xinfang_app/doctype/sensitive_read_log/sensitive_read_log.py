from frappe.model.document import Document


class SensitiveReadLog(Document):
	"""敏感信息查阅记录: written by xinfang_app.secrecy.log_read, never edited (docs/DESIGN.md §6)."""

	pass
