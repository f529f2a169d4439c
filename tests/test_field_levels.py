"""domain.field_levels: hidden fields leave no trace in a response, however deep, or in version diffs."""

from __future__ import annotations

import json

from xinfang_app.domain.field_levels import strip_documents

HIDDEN = {
	("Petitioner", None): frozenset({"id_number", "phone"}),
	("Petition", None): frozenset({"accused_person"}),
	("Petition Party", "Petition"): frozenset({"id_number"}),
}
TABLES = {("Petition", "petitioners"): "Petition Party"}


def hidden(doctype, parenttype):
	return HIDDEN.get((doctype, parenttype), frozenset())


def table_doctype(doctype, fieldname):
	return TABLES.get((doctype, fieldname))


def strip(payload):
	return strip_documents(payload, hidden, table_doctype)


def test_documents_at_any_depth_lose_their_hidden_fields():
	payload = {
		"docs": [
			{
				"doctype": "Petition",
				"name": "XF-1",
				"accused_person": "张某",
				"subject": "s",
				"petitioners": [
					{
						"doctype": "Petition Party",
						"parenttype": "Petition",
						"id_number": "1101",
						"full_name": "李",
					}
				],
			}
		],
		"message": {
			"doctype": "Petitioner",
			"name": "XFR-1",
			"id_number": "1101",
			"phone": "138",
			"full_name": "李",
		},
	}
	assert strip(payload)
	assert payload["docs"][0] == {
		"doctype": "Petition",
		"name": "XF-1",
		"subject": "s",
		"petitioners": [{"doctype": "Petition Party", "parenttype": "Petition", "full_name": "李"}],
	}
	assert payload["message"] == {"doctype": "Petitioner", "name": "XFR-1", "full_name": "李"}


def test_nothing_hidden_changes_nothing():
	payload = {"message": [{"doctype": "Petitioner", "name": "XFR-1", "full_name": "李"}, ["a", 1], None]}
	before = json.dumps(payload)
	assert not strip(payload)
	assert json.dumps(payload) == before


def test_version_diffs_lose_hidden_changes_rows_and_row_fields():
	data = {
		"changed": [["accused_person", "甲", "乙"], ["subject", "a", "b"]],
		"row_changed": [["petitioners", 0, "row1", [["id_number", "1", "2"], ["full_name", "x", "y"]]]],
		"added": [["petitioners", {"doctype": "Petition Party", "id_number": "1101", "full_name": "王"}]],
		"removed": [],
	}
	docinfo = {"doctype": "Petition", "name": "XF-1", "versions": [{"name": "v1", "data": json.dumps(data)}]}
	assert strip({"docinfo": docinfo})
	stripped = json.loads(docinfo["versions"][0]["data"])
	assert stripped["changed"] == [["subject", "a", "b"]]
	assert stripped["row_changed"] == [["petitioners", 0, "row1", [["full_name", "x", "y"]]]]
	assert stripped["added"] == [["petitioners", {"doctype": "Petition Party", "full_name": "王"}]]
	assert "1101" not in docinfo["versions"][0]["data"] and "甲" not in docinfo["versions"][0]["data"]


def test_malformed_version_data_is_left_alone():
	docinfo = {"doctype": "Petition", "versions": [{"data": "not json"}, {"data": "[1]"}, "x"]}
	assert not strip(docinfo)
