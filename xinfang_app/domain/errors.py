"""The pure core's refusals: each carries the Chinese message shown to the user."""

from __future__ import annotations


class DomainError(ValueError):
	"""A rule of the pure core refused something; `message_zh` is shown to the user."""

	def __init__(self, message_zh: str):
		super().__init__(message_zh)
		self.message_zh = message_zh
