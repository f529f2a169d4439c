from xinfang_app.permissions import ChildRow


class ReceptionRecordPetition(ChildRow):
	pass
