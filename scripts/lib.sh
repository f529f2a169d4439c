# Shared by scripts/bootstrap and .ci/run: settings, timed steps, services, installing this checkout.
# Sourced, not run. Everything here is idempotent: it reuses what exists and never destroys a bench.

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BENCH=${XINFANG_BENCH:-/home/frappe/frappe-bench}
BENCH_USER=${XINFANG_BENCH_USER:-frappe}
export XINFANG_DB_ROOT_PASSWORD=${XINFANG_DB_ROOT_PASSWORD:-root}
APT_PACKAGES="mariadb-server mariadb-client redis-server pkg-config libmariadb-dev build-essential git
	wkhtmltopdf fonts-noto-cjk rsync curl faketime chromium xvfb"
BENCH_CLI_VERSION=${XINFANG_BENCH_CLI_VERSION:-5.31.1}
BENCH_CLI_VENV=${XINFANG_BENCH_CLI_VENV:-/opt/frappe-bench-cli}
LOG_DIR=${XINFANG_LOG_DIR:-/tmp/xinfang-setup}
mkdir -p "$LOG_DIR"

# Where Frappe's source comes from: a git URL (default: upstream's version-15 branch) or a git bundle file.
# An offline machine that carries the pinned bundle beside this checkout (shared/vendor/ of the
# workplace) uses it when XINFANG_FRAPPE_SOURCE is not set.
default_frappe_source() {
	local bundle
	bundle=$(ls "$REPO"/../shared/vendor/frappe-v15*.bundle 2>/dev/null | head -1)
	if [ -n "$bundle" ]; then
		cd "$(dirname "$bundle")" && echo "$(pwd)/$(basename "$bundle")"
	else
		echo "https://github.com/frappe/frappe"
	fi
}
FRAPPE_SOURCE=${XINFANG_FRAPPE_SOURCE:-$(default_frappe_source)}
FRAPPE_BRANCH=${XINFANG_FRAPPE_BRANCH:-version-15}

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# step NAME COMMAND...: runs COMMAND, logs to $LOG_DIR, prints its time; on failure names the step and
# shows the end of its log, then exits.
step() {
	local name=$1 start rc log
	shift
	log="$LOG_DIR/$(tr -c 'A-Za-z0-9_-' '_' <<<"$name").log"
	start=$(date +%s)
	say "▶ $name"
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		tail -40 "$log" | sed 's/^/    /'
		say "✗ step failed: $name (exit $rc; full log: $log)"
		exit 1
	fi
	say "✓ $name ($(($(date +%s) - start)) s)"
}

# as_bench COMMAND: runs COMMAND as the bench user in the bench; bench_pip installs into its environment
# (pip where the env has it, else uv, which the bench CLI creates environments with).
as_bench() {
	runuser -u "$BENCH_USER" -- bash -lc "cd '$BENCH' && export PATH=\"$BENCH_CLI_VENV/bin:\$PATH\" &&
		bench_pip() { if [ -x env/bin/pip ]; then env/bin/pip \"\$@\"; else uv pip \"\$@\" --python env/bin/python; fi; } &&
		$*"
}

mysql_root() { mysql -uroot -p"$XINFANG_DB_ROOT_PASSWORD" "$@"; }

db_root_ok() { mysql --protocol=TCP -h127.0.0.1 -uroot -p"$XINFANG_DB_ROOT_PASSWORD" -e 'select 1' >/dev/null 2>&1; }

start_mariadb() {
	# (mysqladmin ping answers "alive" even when the login is refused, and root logs in through the
	# unix socket without a password: db_root_ok tries the password over TCP as bench does)
	if ! mysqladmin ping >/dev/null 2>&1; then
		mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
		(setsid mysqld_safe --user=mysql >/dev/null 2>&1 &)
		for _ in $(seq 1 60); do
			mysqladmin ping >/dev/null 2>&1 && break
			sleep 1
		done
	fi
	# A fresh MariaDB lets root in through the unix socket only: give it the password bench logs in with.
	if ! db_root_ok; then
		mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$XINFANG_DB_ROOT_PASSWORD') OR unix_socket; FLUSH PRIVILEGES;"
	fi
	db_root_ok || {
		echo "MariaDB refuses root with the password in XINFANG_DB_ROOT_PASSWORD"
		return 1
	}
}

# A replica can follow this server only if it writes a binary log (README: reads from a replica; the
# integration tier's replica test). Written once; a server started before it is restarted to take it up.
BINLOG_CONF=/etc/mysql/mariadb.conf.d/99-xinfang-binlog.cnf
configure_binlog() {
	if [ ! -f "$BINLOG_CONF" ]; then
		cat >"$BINLOG_CONF" <<'EOF'
# A replica can follow this server (xinfang_app README: reads from a replica); written by xinfang_app's scripts
[mysqld]
server-id = 1
log-bin = mysql-bin
binlog-format = ROW
expire-logs-days = 1
EOF
	fi
	[ "$(mysql_root -N -e 'select @@log_bin' 2>/dev/null)" = 1 ] && return 0
	say "restarting MariaDB to take up its binary log ($BINLOG_CONF)"
	mysqladmin -uroot -p"$XINFANG_DB_ROOT_PASSWORD" shutdown || return 1
	for _ in $(seq 1 60); do
		mysqladmin ping >/dev/null 2>&1 || break
		sleep 1
	done
	start_mariadb || return 1
	[ "$(mysql_root -N -e 'select @@log_bin')" = 1 ]
}

# The bench's own Redis servers (config/redis_cache.conf, config/redis_queue.conf): this project never
# touches a Redis it did not start for its bench.
start_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$BENCH/config/$conf.conf" ] || continue
		port=$(awk '/^port/ {print $2}' "$BENCH/config/$conf.conf")
		redis-cli -p "$port" ping >/dev/null 2>&1 && continue
		as_bench "redis-server config/$conf.conf --daemonize yes" || return 1
		for _ in $(seq 1 30); do
			redis-cli -p "$port" ping >/dev/null 2>&1 && break
			sleep 0.5
		done
		redis-cli -p "$port" ping || return 1
	done
}

# Frappe v15 imports pkg_resources (setuptools < 70 keeps it); pytest and freezegun are the integration
# tier's runners (FrappeTestCase.freeze_time uses freezegun). Then the bench's Redis.
prepare_bench_env() {
	as_bench "bench_pip install -q 'setuptools<70' pytest freezegun" || return 1
	[ -f "$BENCH/config/redis_cache.conf" ] || as_bench "bench setup redis" || return 1
	start_redis
}

# Copies this checkout into the bench as apps/xinfang_app (a dev symlink there is replaced, never
# written through) and installs it into the bench's environment.
install_checkout() {
	local app_dir="$BENCH/apps/xinfang_app"
	[ -L "$app_dir" ] && rm -f "$app_dir"
	mkdir -p "$app_dir"
	# the built desk bundle (public/dist) is the bench's, not the checkout's: a reinstall keeps it
	rsync -a --delete --exclude .git --exclude __pycache__ --exclude node_modules --exclude /xinfang_app/public/dist \
		"$REPO"/ "$app_dir"/ || return 1
	chown -R "$BENCH_USER": "$app_dir"
	if ! grep -qx xinfang_app "$BENCH/sites/apps.txt"; then
		# apps.txt may lack a final newline; never glue the app's name onto the last line
		[ -s "$BENCH/sites/apps.txt" ] && [ -n "$(tail -c1 "$BENCH/sites/apps.txt")" ] && echo >>"$BENCH/sites/apps.txt"
		echo xinfang_app >>"$BENCH/sites/apps.txt"
	fi
	as_bench "bench_pip install -q -e apps/xinfang_app" || return 1
}

# Drops the cached keys of one site (Frappe prefixes them with the site's database name), nothing else.
clear_site_cache_keys() {
	local site=$1 db port
	db=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('db_name',''))" \
		"$BENCH/sites/$site/site_config.json" 2>/dev/null) || return 0
	[ -n "$db" ] || return 0
	port=$(awk '/^port/ {print $2}' "$BENCH/config/redis_cache.conf" 2>/dev/null)
	[ -n "$port" ] || return 0
	redis-cli -p "$port" --scan --pattern "$db|*" | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
}
