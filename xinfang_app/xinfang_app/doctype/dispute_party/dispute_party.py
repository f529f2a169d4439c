from xinfang_app.permissions import ChildRow


class DisputeParty(ChildRow):
	pass
