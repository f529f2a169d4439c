from xinfang_app.permissions import ChildRow


class XinfangHoliday(ChildRow):
	pass
