import frappe
from frappe import _
from frappe.model.document import Document

from xinfang_app import ledger_excel

IMPORTING_LEVELS = ("County", "Township", "Subdistrict")


class LedgerImport(Document):
	def validate(self):
		self.validate_township()
		self.validate_unchanged_after_run()

	def validate_township(self):
		if not self.division:
			return  # the mandatory check names the missing field
		level = frappe.db.get_value("Administrative Division", self.division, "division_level")
		if level not in IMPORTING_LEVELS:
			frappe.throw(
				_(
					"A ledger workbook is imported for a township, subdistrict or the county, not a {0}"
				).format(_(level))
			)

	def validate_unchanged_after_run(self):
		"""What an import wrote stays as it was imported; a failed import (nothing written) may be corrected
		— another file, another mode — and started again."""
		before = self.get_doc_before_save()
		if not before or before.import_status in (ledger_excel.PENDING, ledger_excel.FAILED):
			return
		if any(before.get(field) != self.get(field) for field in ("division", "import_file", "import_mode")):
			frappe.throw(_("An import that has run cannot be changed; start a new Ledger Import"))
