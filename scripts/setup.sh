#!/usr/bin/env bash
# Installs the pinned development tools into .tools/ (git-ignored), idempotently.
#
#   bash scripts/setup.sh          check prerequisites, install what is missing, build what changed
#   bash scripts/setup.sh --check  only report what is missing (installs nothing, exit 3 if anything is)
#
# Each tool is rebuilt only when its pin changes: a stamp file in .tools/stamps/ records what was
# built. Long steps log to .tools/logs/<step>.log; on failure the tail of that log is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
STAMPS="$TOOLS/stamps"
LOGS="$TOOLS/logs"

# Pins. Changing one rebuilds that tool at the next run.
TEMPORAL_CLI_VERSION="v1.5.1"         # v1.6+ carries a replace directive: go install refuses it
TEST_SERVER_VERSION="1.31.0"          # keep in step with scripts/tts/pom.xml
MAILPIT_VERSION="v1.30.5"
FERRETDB_VERSION="v1.24.2"            # keep in step with tools/ferretdb/go.mod
MIN_GO="1.25"
MIN_JAVA="17"
MIN_PG="15"

CHECK_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --check) CHECK_ONLY=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument '$arg' (use --check or nothing)" >&2; exit 2 ;;
  esac
done

IS_ROOT=0
[ "$(id -u)" = "0" ] && IS_ROOT=1

step() { printf 'setup: %-34s %s\n' "$1" "$2"; }
# took: " (N s)" since the last call of `started`.
STEP_START=0
started() { STEP_START=$SECONDS; }
took() { printf '(%d s)' $((SECONDS - STEP_START)); }
die() { echo "setup: $*" >&2; exit 1; }

# version_ge A B: true when dotted version A >= B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# run_logged NAME CMD...: runs CMD with output in .tools/logs/NAME.log; on failure shows its tail.
run_logged() {
  local name="$1"; shift
  local log="$LOGS/$name.log"
  if ! "$@" >"$log" 2>&1; then
    echo "setup: step '$name' failed; last lines of $log:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
}

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
write_stamp() { mkdir -p "$STAMPS"; printf '%s' "$2" >"$STAMPS/$1"; }

# ---------------------------------------------------------------------------------------------
# Prerequisites: the tools we cannot build ourselves. Collected first, reported all at once.
# ---------------------------------------------------------------------------------------------
missing=()

find_pg_bindir() {
  # Debian/Ubuntu layout first (several majors may coexist), then whatever initdb is on PATH.
  local best="" best_major=0 dir major
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || continue
    major="$(basename "$(dirname "$dir")")"
    if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge "$MIN_PG" ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"; best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
    major="$(initdb --version 2>/dev/null | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
    if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge "$MIN_PG" ]; then
      best="$(dirname "$(command -v initdb)")"
    fi
  fi
  printf '%s' "$best"
}

check_prerequisites() {
  missing=()
  if command -v node >/dev/null 2>&1; then
    local node_v; node_v="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
    version_ge "$node_v" "20.19" || missing+=("Node.js >= 20.19 (found $node_v)")
  else
    missing+=("Node.js >= 20.19 with npm (command 'node' not found)")
  fi

  if command -v go >/dev/null 2>&1; then
    local go_v; go_v="$(go env GOVERSION 2>/dev/null | sed 's/^go//')"
    version_ge "${go_v:-0}" "$MIN_GO" || missing+=("Go >= $MIN_GO (found ${go_v:-unknown}; https://go.dev/dl/)")
  else
    missing+=("Go >= $MIN_GO (command 'go' not found; https://go.dev/dl/)")
  fi

  if command -v java >/dev/null 2>&1; then
    local java_major
    java_major="$(java -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p')"
    [ "${java_major:-0}" -ge "$MIN_JAVA" ] 2>/dev/null \
      || missing+=("Java $MIN_JAVA (found ${java_major:-unknown}; apt-get install openjdk-17-jre-headless)")
  else
    missing+=("Java $MIN_JAVA (command 'java' not found; apt-get install openjdk-17-jre-headless)")
  fi

  command -v mvn >/dev/null 2>&1 || missing+=("Maven (command 'mvn' not found; apt-get install maven)")

  PG_BINDIR="$(find_pg_bindir)"
  [ -n "$PG_BINDIR" ] || missing+=("PostgreSQL >= $MIN_PG server binaries (initdb, pg_ctl; apt-get install postgresql)")

  [ -x /usr/bin/chromium ] || missing+=("Chromium at /usr/bin/chromium for browser tests (apt-get install chromium)")
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    run_logged apt-update env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
  run_logged "apt-install-$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1"
}

check_prerequisites
if [ "$CHECK_ONLY" = 1 ]; then
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: missing prerequisites:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 3
  fi
  step "prerequisites" "ok (Go, Java $MIN_JAVA, Maven, PostgreSQL, Chromium)"
else
  # As root we install the two Debian packages ourselves; anything else is the user's to install.
  if [ "$IS_ROOT" = 1 ] && command -v apt-get >/dev/null 2>&1; then
    if [ -z "$PG_BINDIR" ]; then
      step "postgresql (apt)" "installing..."
      apt_install postgresql
    fi
    if [ ! -x /usr/bin/chromium ]; then
      step "chromium (apt)" "installing..."
      apt_install chromium
    fi
    check_prerequisites
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: cannot continue, missing prerequisites:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    [ "$IS_ROOT" = 1 ] || echo "setup: (not root: install them with your package manager, then run npm run setup again)" >&2
    exit 3
  fi
  step "prerequisites" "ok (PostgreSQL binaries in $PG_BINDIR)"
fi

mkdir -p "$BIN" "$STAMPS" "$LOGS"
tools_missing=0

# ---------------------------------------------------------------------------------------------
# npm dependencies
# ---------------------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: older than package-lock.json means
# the lock file changed since the last install.
if [ ! -d "$ROOT/node_modules" ] || [ ! -f "$ROOT/node_modules/.package-lock.json" ] \
   || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  if [ "$CHECK_ONLY" = 1 ]; then step "npm dependencies" "MISSING (npm ci)"; tools_missing=1; else
    started; step "npm dependencies" "npm ci..."
    (cd "$ROOT" && run_logged npm-ci npm ci --no-audit --no-fund)
    step "npm dependencies" "installed $(took)"
  fi
else
  step "npm dependencies" "ok"
fi

# ---------------------------------------------------------------------------------------------
# Temporal CLI (dev server with embedded Web UI)
# ---------------------------------------------------------------------------------------------
temporal_stamp="temporal-cli $TEMPORAL_CLI_VERSION"
if [ -x "$BIN/temporal" ] && ! stamp_ok temporal "$temporal_stamp" \
   && command -v go >/dev/null 2>&1 \
   && go version -m "$BIN/temporal" 2>/dev/null | grep -Eq "mod\s+github.com/temporalio/cli\s+$TEMPORAL_CLI_VERSION\s"; then
  write_stamp temporal "$temporal_stamp"   # built earlier by hand from the pinned module: adopt it
fi
if [ -x "$BIN/temporal" ] && stamp_ok temporal "$temporal_stamp"; then
  step "temporal CLI $TEMPORAL_CLI_VERSION" "ok"
elif [ "$CHECK_ONLY" = 1 ]; then
  step "temporal CLI $TEMPORAL_CLI_VERSION" "MISSING"; tools_missing=1
else
  started; step "temporal CLI $TEMPORAL_CLI_VERSION" "building (about 2-3 min the first time)..."
  # -X sets the version that `temporal --version` prints (go install leaves 0.0.0-DEV).
  run_logged temporal-build env GOBIN="$BIN" go install \
    -ldflags "-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION#v}" \
    "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  write_stamp temporal "$temporal_stamp"
  step "temporal CLI $TEMPORAL_CLI_VERSION" "built $(took)"
fi

# ---------------------------------------------------------------------------------------------
# Temporal time-skipping test server (Java) + wrapper script
# ---------------------------------------------------------------------------------------------
tts_stamp="temporal-test-server $TEST_SERVER_VERSION $(sha256sum "$ROOT/scripts/tts/pom.xml" | cut -c1-16)"
if [ -x "$BIN/temporal-test-server" ] && [ -d "$TOOLS/tts/lib" ] && stamp_ok tts "$tts_stamp"; then
  step "time-skipping server $TEST_SERVER_VERSION" "ok"
elif [ "$CHECK_ONLY" = 1 ]; then
  step "time-skipping server $TEST_SERVER_VERSION" "MISSING"; tools_missing=1
else
  started; step "time-skipping server $TEST_SERVER_VERSION" "downloading jars..."
  rm -rf "$TOOLS/tts/lib"
  mkdir -p "$TOOLS/tts/lib"
  run_logged tts-maven mvn -B -q -f "$ROOT/scripts/tts/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$TOOLS/tts/lib"
  # exec, so that the SDK (which kills only its direct child) stops the JVM itself.
  cat >"$BIN/temporal-test-server" <<EOF
#!/bin/sh
# Generated by scripts/setup.sh: Temporal time-skipping test server $TEST_SERVER_VERSION.
exec java -XX:TieredStopAtLevel=1 -cp "$TOOLS/tts/lib/*" io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$BIN/temporal-test-server"
  write_stamp tts "$tts_stamp"
  step "time-skipping server $TEST_SERVER_VERSION" "installed $(took)"
fi

# ---------------------------------------------------------------------------------------------
# FerretDB (our small Go program around the embeddable package)
# ---------------------------------------------------------------------------------------------
ferret_src="$ROOT/tools/ferretdb"
ferret_stamp="ferretdb $FERRETDB_VERSION $(cat "$ferret_src/go.mod" "$ferret_src/go.sum" "$ferret_src/main.go" | sha256sum | cut -c1-16)"
if [ -x "$BIN/ferretdb" ] && stamp_ok ferretdb "$ferret_stamp"; then
  step "FerretDB $FERRETDB_VERSION" "ok"
elif [ "$CHECK_ONLY" = 1 ]; then
  step "FerretDB $FERRETDB_VERSION" "MISSING"; tools_missing=1
else
  started; step "FerretDB $FERRETDB_VERSION" "building (about 30 s)..."
  (cd "$ferret_src" && run_logged ferretdb-build go build -o "$BIN/ferretdb" .)
  write_stamp ferretdb "$ferret_stamp"
  step "FerretDB $FERRETDB_VERSION" "built $(took)"
fi

# ---------------------------------------------------------------------------------------------
# Mailpit, built from source so that its web UI bundle is included
# ---------------------------------------------------------------------------------------------
mailpit_stamp="mailpit $MAILPIT_VERSION"
if [ -x "$BIN/mailpit" ] && stamp_ok mailpit "$mailpit_stamp"; then
  step "Mailpit $MAILPIT_VERSION" "ok"
elif [ "$CHECK_ONLY" = 1 ]; then
  step "Mailpit $MAILPIT_VERSION" "MISSING"; tools_missing=1
else
  started; step "Mailpit $MAILPIT_VERSION" "building with web UI (about 1 min)..."
  modcache="$(go env GOMODCACHE)"
  mailpit_mod="$modcache/github.com/axllent/mailpit@$MAILPIT_VERSION"
  if [ ! -d "$mailpit_mod" ]; then
    # Outside a module, `go mod download module@version` fetches just that module's source.
    (cd "$TOOLS" && run_logged mailpit-download go mod download "github.com/axllent/mailpit@$MAILPIT_VERSION")
  fi
  mailpit_src="$TOOLS/src/mailpit-$MAILPIT_VERSION"
  rm -rf "$mailpit_src"
  mkdir -p "$TOOLS/src"
  cp -r "$mailpit_mod" "$mailpit_src"
  chmod -R u+w "$mailpit_src"   # the module cache is read-only
  (cd "$mailpit_src" && run_logged mailpit-npm-ci npm ci --no-audit --no-fund)
  (cd "$mailpit_src" && run_logged mailpit-ui-build npm run build)
  (cd "$mailpit_src" && run_logged mailpit-build go build \
    -ldflags "-X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" -o "$BIN/mailpit" .)
  write_stamp mailpit "$mailpit_stamp"
  step "Mailpit $MAILPIT_VERSION" "built $(took)"
fi

if [ "$tools_missing" = 1 ]; then
  echo "setup: some tools are missing or outdated: run 'npm run setup'" >&2
  exit 3
fi
step "done" "tools in $BIN"
