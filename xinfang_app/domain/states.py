"""The states of the shipped Petition Workflow (xinfang_app/workflows/petition_workflow.json).

One list for the pure core, the controllers and the demo; a test checks it against the shipped JSON.
"""

REGISTRATION = "Registration"
PENDING_ACCEPTANCE = "Pending Acceptance"
ACCEPTED = "Accepted"
NOT_ACCEPTED = "Not Accepted"
FORWARDED = "Forwarded"
ASSIGNED = "Assigned"
HANDLING = "Handling"
EXTENSION_REQUESTED = "Extension Requested"
EXTENDED = "Extended"
REPLY_ISSUED = "Reply Issued"
FOLLOW_UP = "Follow-up"
RESOLVED = "Resolved"
CASE_CLOSED = "Case Closed"
REVIEW_REQUESTED = "Review Requested"
REVIEWED = "Reviewed"
REREVIEW_REQUESTED = "Re-review Requested"
FINAL = "Final"

STATES = (
	REGISTRATION,
	PENDING_ACCEPTANCE,
	ACCEPTED,
	NOT_ACCEPTED,
	FORWARDED,
	ASSIGNED,
	HANDLING,
	EXTENSION_REQUESTED,
	EXTENDED,
	REPLY_ISSUED,
	FOLLOW_UP,
	RESOLVED,
	CASE_CLOSED,
	REVIEW_REQUESTED,
	REVIEWED,
	REREVIEW_REQUESTED,
	FINAL,
)
