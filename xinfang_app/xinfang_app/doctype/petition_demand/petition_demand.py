from xinfang_app.permissions import ChildRow


class PetitionDemand(ChildRow):
	pass
