from xinfang_app.permissions import ChildRow


class JointMeetingAgendaItem(ChildRow):
	pass
