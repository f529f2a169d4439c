"""网上信访: the petitioner's query page (/xinfang/query): state, deadlines, notices, rating, review."""

from xinfang_app.domain import portal as rules

no_cache = 1


def get_context(context):
	context.no_breadcrumbs = True
	context.title = "信访事项查询"
	context.ratings = rules.RATINGS
	context.dissatisfied_next = rules.DISSATISFIED_NEXT
	return context
