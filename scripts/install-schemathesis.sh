#!/usr/bin/env bash
# Installs the pinned Schemathesis (the API fuzzer `make api-fuzz` runs) into
# a Python venv under ~/.cache/baton, and prints the path of its executable.
# Needs python3 with the venv module; reuses the venv when the version matches.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

venv="${BATON_CACHE:-$HOME/.cache/baton}/schemathesis-$SCHEMATHESIS_VERSION"
st="$venv/bin/schemathesis"
if [[ -x "$st" ]] && "$st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "$st"
  exit 0
fi
echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
"$st" --version >&2
echo "$st"
