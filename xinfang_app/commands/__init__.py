"""`bench xinfang demo`, `bench xinfang restamp` and `bench xinfang test`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import click

DEMO_SITE = "xinfang.localhost"
TEST_SITE = "xinfang-test.localhost"
APP = "xinfang_app"


@click.group("xinfang")
def xinfang():
	"""Letters-and-visits (信访) app commands."""


@xinfang.command("demo")
@click.option("--site", default=DEMO_SITE, show_default=True, help="Site to create or update")
@click.option(
	"--db-root-password",
	envvar="XINFANG_DB_ROOT_PASSWORD",
	help="MariaDB root password, needed only when the site does not exist yet",
)
@click.option("--db-root-username", default="root", show_default=True)
@click.option("--admin-password", default="admin", show_default=True)
@click.option(
	"--demo-password",
	default=None,
	help="Password of every demo user (default Xinfang@2026; must pass the site's password policy)",
)
def demo(site, db_root_password, db_root_username, admin_password, demo_password):
	"""Create SITE if missing, install the app and load the demo county. Running it again changes nothing."""
	import frappe

	sites_path = os.getcwd()
	began = time.monotonic()
	if not os.path.exists(os.path.join(sites_path, site, "site_config.json")):
		from frappe.installer import _new_site

		if not db_root_password:
			db_root_password = click.prompt("MariaDB root password", hide_input=True)
		click.echo(f"Creating site {site} …")
		site_dir_existed = os.path.exists(os.path.join(sites_path, site))
		frappe.init(site=site, new_site=True)
		try:
			_new_site(
				None,
				site,
				db_root_username=db_root_username,
				db_root_password=db_root_password,
				admin_password=admin_password,
				install_apps=[APP],
			)
		except (Exception, SystemExit) as error:
			# a half-made site (no database, or no app) would be taken for a ready one by the next run
			frappe.destroy()
			if not site_dir_existed:
				shutil.rmtree(os.path.join(sites_path, site), ignore_errors=True)
			raise click.ClickException(f"Could not create site {site}: {error}") from error
		frappe.destroy()
		click.echo(f"新建站点并安装应用（{time.monotonic() - began:.1f} 秒）")
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	try:
		if APP not in frappe.get_installed_apps():
			from frappe.installer import install_app

			install_app(APP)
		from xinfang_app.demo.loader import DEFAULT_DEMO_PASSWORD, load_demo

		summary = load_demo(password=demo_password or DEFAULT_DEMO_PASSWORD, progress=click.echo)
		frappe.db.commit()
	finally:
		frappe.destroy()
	for line in summary:
		click.echo(line)
	click.echo(f"bench xinfang demo 共用 {time.monotonic() - began:.1f} 秒")
	click.echo(
		f"Demo ready on {site}. Start the bench with `bench start` and log in as a user listed in README.md."
	)


@xinfang.command("restamp")
@click.option("--site", required=True, help="Site whose records to stamp")
def restamp(site):
	"""Set the city, county and township columns every record's place scope filters on, from its division,
	for records written by SQL outside the app (a migration from an old system); the app's own saves and
	division moves keep them right. Set-based; running it again changes nothing."""
	import frappe

	frappe.init(site=site, sites_path=os.getcwd())
	frappe.connect()
	try:
		from xinfang_app.language import use_site_language
		from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import (
			restamp_all,
		)

		use_site_language()
		began = time.monotonic()
		changed = restamp_all()
		frappe.db.commit()
		for doctype, count in changed.items():
			click.echo(f"{frappe._(doctype)}: {count}")
		click.echo(
			frappe._("Places stamped on {0} records in {1} s").format(
				sum(changed.values()), f"{time.monotonic() - began:.1f}"
			)
		)
	finally:
		frappe.destroy()


@xinfang.command("test")
@click.option("--site", default=TEST_SITE, show_default=True, help="Site the integration tier runs on")
@click.option("--pure-only", is_flag=True, help="Run only the pure tier (no database)")
def test(site, pure_only):
	"""Run the pure tier (pytest tests/) and the integration tier (bench run-tests) and sum them up."""
	import frappe

	app_root = os.path.dirname(frappe.get_app_path(APP))
	pure_passed, pure_failed = run_pure_tier(app_root)
	int_passed = int_failed = 0
	if not pure_only:
		int_passed, int_failed = run_integration_tier(site)
	passed, failed = pure_passed + int_passed, pure_failed + int_failed
	started = os.environ.get("XINFANG_STARTED_AT")
	if started:
		click.echo(f"== took {int(time.time()) - int(started)} s in all")
	click.echo(f"{passed} passed, {failed} failed")
	sys.exit(1 if failed or not passed else 0)


def run_pure_tier(app_root: str) -> tuple[int, int]:
	click.echo("== pure tier: pytest tests/")
	result = subprocess.run(
		[sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"],
		cwd=app_root,
		capture_output=True,
		text=True,
	)
	click.echo(result.stdout[-20000:] + result.stderr[-5000:])
	return parse_pytest_summary(result.stdout, result.returncode)


def run_integration_tier(site: str) -> tuple[int, int]:
	click.echo(f"== integration tier: bench --site {site} run-tests --app {APP}")
	bench_root = os.path.dirname(os.getcwd())
	result = subprocess.run(
		["bench", "--site", site, "run-tests", "--app", APP],
		cwd=bench_root,
		capture_output=True,
		text=True,
	)
	output = result.stdout + result.stderr
	click.echo(output[-40000:])
	passed, failed = parse_unittest_summary(output, result.returncode)
	if not passed and not failed:
		click.echo("== integration tier ran no test: counted as a failure")
		failed = 1
	return passed, failed


def parse_pytest_summary(output: str, returncode: int) -> tuple[int, int]:
	passed = sum(int(n) for n in re.findall(r"(\d+) passed", output[-2000:]))
	failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)", output[-2000:]))
	if returncode not in (0, 5) and not failed:
		failed = 1  # the runner itself broke (collection error, crash): count it, never hide it
	return passed, failed


def parse_unittest_summary(output: str, returncode: int) -> tuple[int, int]:
	ran = sum(int(n) for n in re.findall(r"^Ran (\d+) tests? in", output, re.M))
	bad = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", output))
	skipped = sum(int(n) for n in re.findall(r"skipped=(\d+)", output))
	if returncode and not bad:
		bad = 1
	return max(ran - bad - skipped, 0), bad


commands = [xinfang]
