from xinfang_app.permissions import ChildRow


class ReceptionInstruction(ChildRow):
	pass
