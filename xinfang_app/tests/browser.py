"""A real browser on the test site for the integration tier: Chromium (Debian) driven by Playwright (PyPI),
against the site's own web server (`bench serve` on a free port, started and stopped with the class).

`ServedBrowser.launch()` starts both; when either cannot start, the class is skipped with the reason —
except under CI=true, where the integration tier never skips: it fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import frappe
from frappe.utils import get_bench_path

from xinfang_app.tests.cases import not_run

CHROMIUM = os.environ.get("XINFANG_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class BrowserUnavailable(Exception):
	pass


class ServedBrowser:
	"""Class-level browser and server; `screenshots()` makes the directory for the pictures and the
	server's log before `launch`."""

	server = playwright = browser = None

	@classmethod
	def screenshots(cls, prefix: str, what: str) -> str:
		"""A directory for the screenshots and the server's log, printed so that a reader can open it."""
		cls.shots = tempfile.mkdtemp(prefix=prefix)
		os.chmod(cls.shots, 0o755)
		print(f"\n{what} screenshots: {cls.shots}", file=sys.stderr)
		return cls.shots

	@classmethod
	def launch(cls, what: str, on_failure=None):
		try:
			cls.start_browser()
			cls.start_server()
		except BrowserUnavailable as e:
			cls.stop()
			if on_failure:
				on_failure()
			raise not_run(what, e) from e

	@classmethod
	def start_browser(cls):
		try:
			from playwright.sync_api import sync_playwright
		except ImportError as e:
			raise BrowserUnavailable(f"Playwright is not installed in the bench's environment ({e})") from e
		if not os.path.exists(CHROMIUM):
			raise BrowserUnavailable(f"no Chromium at {CHROMIUM}")
		try:
			cls.playwright = sync_playwright().start()
			cls.browser = cls.playwright.chromium.launch(
				executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
			)
		except Exception as e:
			raise BrowserUnavailable(f"Chromium did not start through Playwright: {e}") from e

	@classmethod
	def start_server(cls):
		bench = get_bench_path()
		cls.port = free_port()
		cls.base = f"http://127.0.0.1:{cls.port}"
		site = frappe.local.site
		bench_cli = shutil.which("bench")
		if bench_cli:
			command, cwd = [bench_cli, "--site", site, "serve", "--port", str(cls.port), "--noreload"], bench
		else:
			python = os.path.join(bench, "env", "bin", "python")
			command = [python, "-m", "frappe.utils.bench_helper", "frappe", "--site", site]
			command += ["serve", "--port", str(cls.port), "--noreload"]
			cwd = os.path.join(bench, "sites")
		cls.server_log = os.path.join(cls.shots, "server.log")
		with open(cls.server_log, "w") as log:
			cls.server = subprocess.Popen(
				command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
			)
		deadline = time.time() + 90
		while time.time() < deadline:
			if cls.server.poll() is not None:
				raise BrowserUnavailable(f"`bench serve` exited: {cls.server_tail()}")
			try:
				with urllib.request.urlopen(f"{cls.base}/api/method/ping", timeout=2) as response:
					if response.status == 200:
						return
			except OSError:
				time.sleep(0.5)
		raise BrowserUnavailable(
			f"`bench serve` did not answer /api/method/ping in 90 s: {cls.server_tail()}"
		)

	@classmethod
	def server_tail(cls) -> str:
		try:
			with open(cls.server_log) as log:
				return log.read()[-2000:]
		except OSError:
			return ""

	@classmethod
	def stop(cls):
		if cls.browser:
			try:
				cls.browser.close()
			except Exception:
				pass
		if cls.playwright:
			cls.playwright.stop()
		cls.browser = cls.playwright = None
		if cls.server and cls.server.poll() is None:
			os.killpg(cls.server.pid, signal.SIGTERM)
			try:
				cls.server.wait(10)
			except subprocess.TimeoutExpired:
				os.killpg(cls.server.pid, signal.SIGKILL)
				cls.server.wait(10)
		cls.server = None
