from xinfang_app.permissions import ChildRow


class MediationSession(ChildRow):
	pass
