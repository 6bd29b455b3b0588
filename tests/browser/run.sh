#!/usr/bin/env bash
# The browser suite (issue 5): every page of the built sample in Debian's Chromium, with axe-core,
# reflow at 320px and the WCAG text-spacing overrides. See tests/browser/README.md.
#
#   tests/browser/run.sh [--build | --no-build] [suite options, e.g. --only easy-read/ --jobs 2]
#
# It installs Debian's chromium when /usr/bin/chromium is missing (never a downloaded browser),
# installs the pinned Node packages with npm ci, builds the sample when output/ is missing (or
# always with --build), then runs the suite. Exit status: 0 when every check passed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

build=auto
args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=yes ;;
    --no-build) build=no ;;
    *) args+=("$arg") ;;
  esac
done

echo "== browser: Chromium"
if [ ! -x "$chromium" ]; then
  if [ "$chromium" != /usr/bin/chromium ]; then
    echo "error: CHROMIUM=$chromium is not an executable file" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  echo "/usr/bin/chromium is missing: installing Debian's chromium package"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium
fi
if [ ! -x "$chromium" ]; then
  echo "error: Chromium is still not installed at $chromium" >&2
  exit 1
fi
"$chromium" --version 2>/dev/null | grep -i chromium || true

echo "== browser: Node packages (npm ci, from package-lock.json)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: Node.js 20 or later with npm is needed to run the browser suite" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old; playwright-core needs Node.js 20 or later" >&2
  exit 1
fi
# --ignore-scripts and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: nothing may fetch a browser.
(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund)

if [ "$build" = yes ] || { [ "$build" = auto ] && [ ! -f "$root/output/index.html" ]; }; then
  echo "== browser: building the sample"
  (cd "$root" && cargo run --release -- build)
fi

echo "== browser: checking every page"
exec node "$here/suite.js" --output "$root/output" --chromium "$chromium" ${args[@]+"${args[@]}"}
