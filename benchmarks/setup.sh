#!/usr/bin/env bash
# Installs the benchmark peers from Debian (idempotent: re-running only checks).
#   python3-scipy, python3-networkx, python3-igraph  — the Python peers (/usr/bin/python3)
#   postgresql-15-pgrouting                            — pgRouting, on a server the benchmark starts itself
#   osmium-tool                                        — OSM extract handling for the osm suite
# Also creates the unprivileged user `fsbench` that owns the throw-away PostgreSQL cluster
# (initdb refuses to run as root).
set -euo pipefail

PKGS=(python3-scipy python3-networkx python3-igraph postgresql-15-pgrouting osmium-tool)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup.sh: not root and no sudo; install by hand: apt-get install -y ${missing[*]:-}" >&2
    exit 1
  fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; try without updating first (fast when cached).
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
else
  echo "setup.sh: peers already installed (${PKGS[*]})"
fi

# The Debian postgresql package starts a system cluster on install; the benchmark uses its own.
if command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | grep -q '^15 *main .*online'; then
  $SUDO pg_ctlcluster 15 main stop || true
fi

if ! getent passwd fsbench >/dev/null; then
  $SUDO useradd --system --no-create-home --shell /usr/sbin/nologin fsbench
  echo "setup.sh: created user fsbench"
fi
echo "setup.sh: done"
