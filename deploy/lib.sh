#!/usr/bin/env bash
# deploy/lib.sh — helpers shared by the deploy/ scripts; source it, do not run it:
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
# Provides docket_find_swift, docket_need_packages PKG…, docket_find_binary, docket_db_url,
# docket_key_file, docket_pg_program NAME, docket_redact_url and the docket_log / docket_die messages.
# It changes no shell options: the scripts that source it set `set -euo pipefail` themselves.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "deploy/lib.sh is a library: source it from a bash script instead of running it." >&2
  exit 64
fi

# The repository root: the parent of the directory this file is in.
DOCKET_REPO="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"

# docket_log MESSAGE… — one progress line on standard error, prefixed with the script's name.
docket_log() {
  printf '%s: %s\n' "${DOCKET_SCRIPT:-docket}" "$*" >&2
}

# docket_die MESSAGE [STATUS] — an error line on standard error, then exit (default status 1).
docket_die() {
  printf '%s: error: %s\n' "${DOCKET_SCRIPT:-docket}" "$1" >&2
  exit "${2:-1}"
}

# docket_find_swift — makes `swift` callable: keeps the one on PATH, else prepends
# /opt/swift/usr/bin to PATH (and exports it). Returns 1 with a message when there is none.
docket_find_swift() {
  if command -v swift >/dev/null 2>&1; then
    return 0
  fi
  if [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH="/opt/swift/usr/bin:${PATH}"
    export PATH
    return 0
  fi
  docket_log "error: no Swift toolchain: 'swift' is not on PATH and /opt/swift/usr/bin/swift does not exist; install Swift 6 (https://www.swift.org/install/) into /opt/swift or put its usr/bin on PATH."
  return 1
}

# docket_package_installed PKG — whether the Debian package PKG is installed.
docket_package_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" || return 1
  [[ "$status" == *" ok installed" ]]
}

# docket_need_packages PKG… — installs with apt-get those of the Debian packages PKG… that are
# missing, running `apt-get update` once first, and only when something is missing. As a user other
# than root it uses sudo when there is one; otherwise it names the packages to install and returns 1.
docket_need_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    docket_package_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    docket_log "Debian packages present: $*"
    return 0
  fi
  local -a run=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      run=(sudo)
    else
      docket_log "error: missing Debian packages: ${missing[*]}; sudo is not available, so as root run: apt-get update && apt-get install ${missing[*]}"
      return 1
    fi
  fi
  docket_log "installing Debian packages: ${missing[*]}"
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
    { docket_log "error: apt-get update failed; check the network and /etc/apt/sources.list."; return 1; }
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { docket_log "error: apt-get install ${missing[*]} failed (see above)."; return 1; }
  for pkg in "${missing[@]}"; do
    docket_package_installed "$pkg" ||
      { docket_log "error: Debian package $pkg is still not installed after apt-get install."; return 1; }
  done
}

# docket_find_binary — prints the docket binary to use: $DOCKET, else `docket` on PATH, else the
# repository's .build/release/docket. Returns 1 with a message when there is none.
docket_find_binary() {
  if [[ -n "${DOCKET:-}" ]]; then
    if [[ -x "$DOCKET" ]] || command -v "$DOCKET" >/dev/null 2>&1; then
      printf '%s\n' "$DOCKET"
      return 0
    fi
    docket_log "error: DOCKET is set to '$DOCKET', which is not an executable program."
    return 1
  fi
  if command -v docket >/dev/null 2>&1; then
    command -v docket
    return 0
  fi
  if [[ -x "$DOCKET_REPO/.build/release/docket" ]]; then
    printf '%s\n' "$DOCKET_REPO/.build/release/docket"
    return 0
  fi
  docket_log "error: no docket binary: not on PATH and $DOCKET_REPO/.build/release/docket does not exist; run deploy/setup (or deploy/install), or set DOCKET to its path."
  return 1
}

# docket_json_field KEY — reads one JSON object on standard input and prints the top-level KEY:
# a string as is, true/false/null as those words; nothing (status 1) when KEY is absent.
# Uses python3, else jq, else sed (enough for docket's flat `db status --json`).
docket_json_field() {
  local key="$1" json value rc
  json="$(cat)"
  if command -v python3 >/dev/null 2>&1; then
    rc=0
    value="$(printf '%s' "$json" | python3 -c '
import json, sys
data = json.load(sys.stdin)
if not isinstance(data, dict) or sys.argv[1] not in data:
    sys.exit(3)
value = data[sys.argv[1]]
print("null" if value is None else str(value).lower() if isinstance(value, bool) else value)
' "$key" 2>/dev/null)" || rc=$?
    case "$rc" in
      0) printf '%s\n' "$value"; return 0 ;;
      3) return 1 ;;
      *) ;; # python3 itself failed (no json module, a broken shim): try the next way
    esac
  fi
  if command -v jq >/dev/null 2>&1 &&
    value="$(printf '%s' "$json" | jq -er --arg k "$key" 'select(type == "object" and has($k)) | .[$k] | if . == null then "null" else tostring end' 2>/dev/null)"; then
    printf '%s\n' "$value"
    return 0
  fi
  # sed: join the lines, take "KEY": "string" or "KEY": word, undo JSON's \/ and \" escapes.
  value="$(printf '%s' "$json" | tr -d '\n' |
    sed -n -e 's/.*"'"$key"'"[[:space:]]*:[[:space:]]*"\(\([^"\\]\|\\.\)*\)".*/\1/p' \
      -e 't' -e 's/.*"'"$key"'"[[:space:]]*:[[:space:]]*\(true\|false\|null\|[-0-9.eE+]*\).*/\1/p')"
  [[ -n "$value" ]] || return 1
  value="${value//\\\//\/}"
  value="${value//\\\"/\"}"
  printf '%s\n' "$value"
}

# docket_db_url DOCKET_BINARY — prints the libpq URL of the database docket uses, from
# `docket db status --json` ({"url": "...", ...}). When that reports "running": false (the local
# cluster is stopped), it runs `docket db start` first.
docket_db_url() {
  local docket="$1" status url running
  status="$("$docket" db status --json)" ||
    { docket_log "error: '$docket db status --json' failed (see above); is the database configured and reachable?"; return 1; }
  running="$(printf '%s' "$status" | docket_json_field running)" || running=""
  if [[ "$running" == "false" ]]; then
    docket_log "starting docket's local database: $docket db start"
    "$docket" db start >&2 || { docket_log "error: '$docket db start' failed (see above)."; return 1; }
    status="$("$docket" db status --json)" ||
      { docket_log "error: '$docket db status --json' failed (see above)."; return 1; }
  fi
  url="$(printf '%s' "$status" | docket_json_field url)" || url=""
  if [[ -z "$url" || "$url" == "null" ]]; then
    docket_log "error: '$docket db status --json' printed no \"url\"; cannot tell which database to use."
    return 1
  fi
  printf '%s\n' "$url"
}

# docket_key_file — prints the path of an older docket's identity key file (from before the office
# key): $DOCKET_KEY_FILE, else $DOCKET_HOME/identity.key, DOCKET_HOME defaulting to
# ${XDG_DATA_HOME:-$HOME/.local/share}/docket.
docket_key_file() {
  if [[ -n "${DOCKET_KEY_FILE:-}" ]]; then
    printf '%s\n' "$DOCKET_KEY_FILE"
    return 0
  fi
  local home="${DOCKET_HOME:-}"
  if [[ -z "$home" ]]; then
    local data="${XDG_DATA_HOME:-}"
    [[ -n "$data" ]] || data="${HOME:?HOME is not set}/.local/share"
    home="$data/docket"
  fi
  printf '%s\n' "$home/identity.key"
}

# docket_pg_program NAME — prints the path of a PostgreSQL client program (pg_dump, pg_restore):
# $DOCKET_PG_BINDIR, then the newest /usr/lib/postgresql/N/bin, then PATH (as docket itself does).
docket_pg_program() {
  local name="$1" dir
  if [[ -n "${DOCKET_PG_BINDIR:-}" && -x "$DOCKET_PG_BINDIR/$name" ]]; then
    printf '%s\n' "$DOCKET_PG_BINDIR/$name"
    return 0
  fi
  local -a versions=()
  if [[ -d /usr/lib/postgresql ]]; then
    mapfile -t versions < <(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -E '^[0-9]+$' | sort -rn)
  fi
  for dir in "${versions[@]}"; do
    if [[ -x "/usr/lib/postgresql/$dir/bin/$name" ]]; then
      printf '%s\n' "/usr/lib/postgresql/$dir/bin/$name"
      return 0
    fi
  done
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  docket_log "error: $name was not found; install the postgresql-client (or postgresql) Debian package, or set DOCKET_PG_BINDIR."
  return 1
}

# docket_redact_url URL — prints URL with any password replaced by ***, for messages.
docket_redact_url() {
  printf '%s\n' "$1" | sed -e 's#^\([a-z]*://[^:/@?]*\):[^@/?]*@#\1:***@#' -e 's#\(password=\)[^&[:space:]]*#\1***#g'
}
