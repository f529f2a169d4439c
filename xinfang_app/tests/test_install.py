"""install-app, uninstall-app and reinstall on a throwaway site, driven through the bench CLI."""

from __future__ import annotations

import json
import os
import subprocess
import unittest

from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path

LIFECYCLE_SITE = os.environ.get("XINFANG_LIFECYCLE_SITE", "xinfang-lifecycle.localhost")
DB_ROOT_PASSWORD = os.environ.get("XINFANG_DB_ROOT_PASSWORD")


def bench(*args: str) -> str:
	result = subprocess.run(
		["bench", *args], cwd=get_bench_path(), capture_output=True, text=True, timeout=900
	)
	if result.returncode:
		raise AssertionError(
			f"bench {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
		)
	return result.stdout


def orphan_report() -> dict:
	# Not `bench execute`: Frappe refuses to run an uninstalled app's method on a site.
	script = (
		"import json, frappe\n"
		f"frappe.init(site={LIFECYCLE_SITE!r}); frappe.connect()\n"
		"from xinfang_app.install import orphan_report\n"
		"print(json.dumps(orphan_report()))\n"
	)
	python = os.path.join(get_bench_path(), "env", "bin", "python")
	result = subprocess.run(
		[python, "-c", script], cwd=os.path.join(get_bench_path(), "sites"), capture_output=True, text=True
	)
	if result.returncode:
		raise AssertionError(f"orphan report failed:\n{result.stderr[-3000:]}")
	return json.loads(result.stdout.strip().splitlines()[-1])


@unittest.skipUnless(DB_ROOT_PASSWORD, "set XINFANG_DB_ROOT_PASSWORD to create the lifecycle site")
class TestInstallLifecycle(FrappeTestCase):
	def test_install_uninstall_reinstall_leaves_no_orphans(self):
		bench(
			"new-site",
			LIFECYCLE_SITE,
			"--force",
			"--db-root-password",
			DB_ROOT_PASSWORD,
			"--admin-password",
			"admin",
			"--install-app",
			"xinfang_app",
		)
		installed = orphan_report()
		self.assertEqual(installed["installed"], 1)
		self.assertEqual(installed["Role"], 9)  # the eight of the desk and the intake's (来文接口)
		self.assertEqual(installed["Webhook"], 1)  # the sender's call-back, shipped disabled
		self.assertEqual(installed["category root"], 1)
		self.assertGreaterEqual(installed["DocType"], 8)
		self.assertEqual(installed["Workspace"], 2)  # 信访工作台 and 调解工作台
		self.assertEqual(installed["Custom HTML Block"], 1)

		bench("--site", LIFECYCLE_SITE, "uninstall-app", "xinfang_app", "--yes", "--no-backup")
		removed = orphan_report()
		self.assertEqual(removed["installed"], 0)
		for key in (
			"Role",
			"Workflow",
			"Custom Field",
			"Property Setter",
			"User Permission",
			"Workspace",
			"Custom HTML Block",
			"Webhook",
			"DocType",
			"Module Def",
		):
			self.assertEqual(removed[key], 0, key)

		bench("--site", LIFECYCLE_SITE, "install-app", "xinfang_app")
		again = orphan_report()
		self.assertEqual(again, installed)
		bench("drop-site", LIFECYCLE_SITE, "--db-root-password", DB_ROOT_PASSWORD, "--no-backup", "--force")
