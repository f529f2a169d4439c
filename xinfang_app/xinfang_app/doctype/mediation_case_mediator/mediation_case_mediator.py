from xinfang_app.permissions import ChildRow


class MediationCaseMediator(ChildRow):
	pass
