"""Records of a site made before place scope went by the tree (issue 13) carry their township only: stamp
their city and county too, set-based, from every root of the tree down."""

from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import restamp_all


def execute():
	restamp_all()
