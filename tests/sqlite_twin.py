"""SQLite stands in for MariaDB in the pure tests of the app's SQL twins (domain/kpi_sql.py,
deadline_sql.py, backlog.py, dispute_stats.py): generated rows as the table p (dates as ISO text, which
compare the same way), a quote for literals, and the sums a report reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date


def quote(value: str) -> str:
	return "'" + value.replace("'", "''") + "'"


def sqlite_table(rows: Sequence, fields: Sequence[str] | None = None) -> sqlite3.Connection:
	"""`rows` (mappings, or objects with the attributes `fields`) as the table p of `fields` (by default
	the first mapping's keys)."""
	fields = list(fields or rows[0])
	get = (lambda row, f: row.get(f)) if isinstance(rows[0], Mapping) else getattr
	value = lambda v: v.isoformat() if isinstance(v, date) else v  # noqa: E731
	connection = sqlite3.connect(":memory:")
	connection.execute(f"create table p ({', '.join(fields)})")
	connection.executemany(
		f"insert into p values ({', '.join('?' for _f in fields)})",
		[tuple(value(get(row, f)) for f in fields) for row in rows],
	)
	return connection


def sums_of(connection, parts, group: str | None = None) -> dict:
	"""What a report reads: each part's sums (per `group` value when given), added up."""
	totals: dict = {}
	for part in parts:
		names = list(part.sums)
		select = ", ".join(f"sum({expr})" for expr in part.sums.values())
		key = f"{group}, " if group else ""
		query = f"select {key}{select} from p where {part.where}" + (f" group by {group}" if group else "")
		for row in connection.execute(query):
			values = row[1:] if group else row
			bucket = totals.setdefault(row[0] if group else None, {})
			for name, v in zip(names, values, strict=True):
				bucket[name] = bucket.get(name, 0) + (v or 0)
	return totals
