from xinfang_app.permissions import ChildRow


class FieldVisitFinding(ChildRow):
	pass
