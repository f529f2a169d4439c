from xinfang_app.permissions import ChildRow


class LeaderCaseProgress(ChildRow):
	pass
