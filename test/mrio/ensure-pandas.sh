#!/usr/bin/env bash
# Installs Debian's pandas, numpy and scipy (what ../shared/tools/pymrio needs, see its README) with
# apt when /usr/bin/python3 cannot import them, so that the tests comparing with pymrio itself
# (test/mrio/wiod.test.ts, test/output/number.test.ts) run in CI instead of being skipped.
# Called by .ci/run before the tests; does nothing when pandas is there.
set -euo pipefail
if /usr/bin/python3 -c 'import pandas, numpy, scipy' >/dev/null 2>&1; then
  echo "ensure-pandas: pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)') present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
pkgs="python3-pandas python3-numpy python3-scipy python3-requests"
$SUDO apt-get install -y -q --no-install-recommends $pkgs || { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends $pkgs; }
echo "ensure-pandas: pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)') installed"
