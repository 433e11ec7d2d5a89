#!/usr/bin/env bash
# Installs the pinned developer tools into ./.bin (ignored by git), building
# them from the Go module proxy so a fresh machine needs nothing by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

GOLANGCI_LINT_VERSION=v2.15.0

bin="$PWD/.bin"
mkdir -p "$bin"
if [[ -x "$bin/golangci-lint" ]] && "$bin/golangci-lint" version 2>/dev/null | grep -q "${GOLANGCI_LINT_VERSION#v}"; then
  exit 0
fi
echo "installing golangci-lint $GOLANGCI_LINT_VERSION into .bin/" >&2
GOBIN="$bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
