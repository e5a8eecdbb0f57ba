#!/usr/bin/env bash
# Set up everything this project needs on Debian, then run it.
#   ./dev.sh serve        build the site and serve it on http://127.0.0.1:8000
#   ./dev.sh test [ARGS]  run the whole test suite (ARGS go to pytest)
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  echo "Installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

python_env() {
  local extras=$1  # the optional dependencies of pyproject.toml to install too
  local python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null || python=python3
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$python" -m venv .venv; }
  fi
  local stamp=.venv/.installed-${extras/,/-}
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
    touch "$stamp"
  fi
}

build_libs() {
  # Voikko and its Finnish dictionary: the search index splits compounds with them.
  local debs
  debs=$(missing_debs libvoikko1 voikko-fi)
  if [ -n "${debs// /}" ]; then apt_install $debs; fi
}

test_tools() {
  # Real servers and browsers the tests drive (see README, "Tests").
  local debs
  debs=$(missing_debs chromium dovecot-imapd openssh-server rsync default-jre-headless nodejs npm)
  if [ -n "${debs// /}" ]; then
    command -v java >/dev/null && debs=${debs/default-jre-headless/}
    command -v node >/dev/null && debs=${debs/nodejs/} && debs=${debs/npm/}
  fi
  [ -n "${debs// /}" ] && apt_install $debs
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules
  fi
}

case "${1:-}" in
  serve)
    build_libs
    python_env test
    exec .venv/bin/invoke serve
    ;;
  test)
    shift
    build_libs
    python_env test,bench
    test_tools
    # One worker per core; a test file stays on one worker, so the site its
    # module fixtures build is built once. Tests that score timing (marked
    # "alone") run afterwards with the machine to themselves. Exit code 5
    # means a phase selected no tests, which is fine when the other ran.
    status=0
    .venv/bin/python -m pytest -n auto --dist loadfile -m "not alone" "$@" || status=$?
    solo=0
    .venv/bin/python -m pytest -m alone "$@" || solo=$?
    if [ "$status" = 5 ] && [ "$solo" = 5 ]; then exit 5; fi
    [ "$status" = 5 ] && status=0
    [ "$solo" = 5 ] && solo=0
    [ "$status" != 0 ] && exit "$status"
    exit "$solo"
    ;;
  *)
    sed -n '2,5p' "$0"
    exit 2
    ;;
esac
