from xinfang_app.permissions import ChildRow


class JointMeetingUnit(ChildRow):
	pass
