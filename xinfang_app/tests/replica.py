"""A MariaDB replica of the test site's database, on localhost, for the integration tier (issue 13 item 4).

`Replica.start()` initialises a throwaway data directory, starts a second MariaDB server on a free port
(read-only, relay log of its own, only the site's database replicated), seeds it from a consistent dump of
the primary taken with its GTID position, and starts replication from the primary. The site's database user
gets SELECT on the replica and nothing else, so a write sent there fails loudly. `stop()` removes it all.

The primary must write a binary log (scripts/bootstrap configures it: /etc/mysql/mariadb.conf.d/
99-xinfang.cnf); `unavailable()` says why a replica cannot be started here, or None.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

import frappe

from xinfang_app.tests.browser import free_port

MARIADBD = shutil.which("mariadbd", path="/usr/sbin:/usr/bin:/sbin:/bin") or "/usr/sbin/mariadbd"
REPLICATION_USER = "xinfang_replication"


def root_password() -> str | None:
	return os.environ.get("XINFANG_DB_ROOT_PASSWORD") or frappe.conf.get("root_password")


def primary_sql(query: str, values=None):
	"""A statement on the primary as root (replication user, GTID position): the site's user may not."""
	import pymysql

	connection = pymysql.connect(
		host=frappe.conf.db_host or "127.0.0.1",
		port=int(frappe.conf.db_port or 3306),
		user="root",
		password=root_password(),
		autocommit=True,
	)
	try:
		with connection.cursor() as cursor:
			cursor.execute(query, values) if values is not None else cursor.execute(query)
			return cursor.fetchall()
	finally:
		connection.close()


def unavailable() -> str | None:
	for tool in (MARIADBD, shutil.which("mariadb-install-db"), shutil.which("mariadb-dump")):
		if not tool or not os.path.exists(tool):
			return "MariaDB's server, mariadb-install-db or mariadb-dump is not installed"
	if not root_password():
		return "the MariaDB root password is not known (XINFANG_DB_ROOT_PASSWORD)"
	try:
		log_bin = primary_sql("select @@log_bin")[0][0]
	except Exception as e:
		return f"cannot reach the primary as root: {e}"
	if not log_bin:
		return (
			"the primary MariaDB writes no binary log (log_bin=0), so nothing can replicate from it: "
			"scripts/bootstrap configures it in /etc/mysql/mariadb.conf.d/99-xinfang.cnf; restart MariaDB"
		)
	return None


class Replica:
	def __init__(self):
		self.db = frappe.conf.db_name
		self.port = free_port()
		self.base = tempfile.mkdtemp(prefix="xinfang-replica-")
		self.datadir = os.path.join(self.base, "data")
		self.socket = os.path.join(self.base, "mysqld.sock")
		self.password = frappe.generate_hash(length=20)
		self.process = None

	def run(self, *command, **kwargs):
		return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

	def sql(self, query: str):
		import pymysql

		connection = pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)
		try:
			with connection.cursor() as cursor:
				cursor.execute(query)
				return cursor.fetchall()
		finally:
			connection.close()

	def start(self):
		self.run(
			"mariadb-install-db",
			"--no-defaults",
			f"--datadir={self.datadir}",
			"--auth-root-authentication-method=normal",
			"--skip-test-db",
		)
		log = open(os.path.join(self.base, "mysqld.log"), "w")
		self.process = subprocess.Popen(
			[
				MARIADBD,
				"--no-defaults",
				f"--datadir={self.datadir}",
				f"--socket={self.socket}",
				f"--port={self.port}",
				"--bind-address=127.0.0.1",
				f"--pid-file={os.path.join(self.base, 'mysqld.pid')}",
				f"--server-id={20000 + self.port % 10000}",
				"--skip-log-bin",
				f"--relay-log={os.path.join(self.base, 'relay')}",
				f"--replicate-do-db={self.db}",
				"--read-only=1",
				"--character-set-server=utf8mb4",
				"--collation-server=utf8mb4_unicode_ci",
				"--innodb-buffer-pool-size=64M",
				"--skip-name-resolve",
			],
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		deadline = time.time() + 60
		while True:
			try:
				self.sql("select 1")
				break
			except Exception:
				if self.process.poll() is not None or time.time() > deadline:
					raise RuntimeError(f"the replica did not start: {self.log_tail()}") from None
				time.sleep(0.3)
		self.seed()

	def seed(self):
		"""A consistent dump of the site's database with its GTID position, then replication from there."""
		primary_sql(f"create or replace user '{REPLICATION_USER}'@'%%' identified by %s", (self.password,))
		primary_sql(f"grant replication slave on *.* to '{REPLICATION_USER}'@'%'")
		dump = os.path.join(self.base, "seed.sql")
		with open(dump, "w") as out:
			subprocess.run(
				[
					"mariadb-dump",
					"-h",
					frappe.conf.db_host or "127.0.0.1",
					"-P",
					str(frappe.conf.db_port or 3306),
					"-uroot",
					f"-p{root_password()}",
					"--single-transaction",
					"--gtid",
					"--master-data=1",
					"--databases",
					self.db,
				],
				stdout=out,
				check=True,
				stderr=subprocess.PIPE,
			)
		with open(dump) as source:
			self.run("mariadb", f"--socket={self.socket}", "-uroot", stdin=source)
		self.sql(f"create user '{frappe.conf.db_name}'@'%' identified by '{frappe.conf.db_password}'")
		self.sql(f"grant select on `{self.db}`.* to '{frappe.conf.db_name}'@'%'")
		self.sql(
			"change master to master_host='{}', master_port={}, master_user='{}', master_password='{}', "
			"master_use_gtid=slave_pos".format(
				frappe.conf.db_host or "127.0.0.1",
				int(frappe.conf.db_port or 3306),
				REPLICATION_USER,
				self.password,
			)
		)
		self.sql("start slave")

	def pause(self):
		self.sql("stop slave sql_thread")

	def resume(self):
		self.sql("start slave sql_thread")

	def caught_up(self, timeout: float = 60) -> None:
		"""Wait until the replica has applied everything the primary has written so far."""
		position = primary_sql("select @@gtid_binlog_pos")[0][0]
		deadline = time.time() + timeout
		while time.time() < deadline:
			status = self.sql(f"select master_gtid_wait('{position}', 1)")[0][0]
			if status == 0:
				return
		raise AssertionError(f"the replica did not catch up with {position}: {self.log_tail()}")

	def log_tail(self) -> str:
		try:
			with open(os.path.join(self.base, "mysqld.log")) as log:
				return log.read()[-1500:]
		except OSError:
			return ""

	def stop(self):
		if self.process and self.process.poll() is None:
			try:
				self.sql("stop slave")
			except Exception:
				pass
			self.process.terminate()
			try:
				self.process.wait(30)
			except subprocess.TimeoutExpired:
				self.process.kill()
		try:
			primary_sql(f"drop user if exists '{REPLICATION_USER}'@'%'")
		except Exception:
			pass
		shutil.rmtree(self.base, ignore_errors=True)
