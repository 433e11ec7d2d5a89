# Baton's developer commands. `make help` lists them.
SHELL := bash
GO    ?= go
LINT  := .bin/golangci-lint

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: test
test: ## Run every test with the race detector (the CI test command).
	$(GO) test -race -count=1 ./...

.PHONY: lint
lint: tools ## Run golangci-lint (pinned, installed into .bin/) on every module.
	@# One run per Go module (the main one and the nested bench, compat, compat/sdk/go and
	@# uitest), each with the root's config; every module is linted even when an earlier one fails.
	@rc=0; for m in . bench compat compat/sdk/go uitest; do \
	  echo "golangci-lint: $$m"; \
	  (cd "$$m" && "$(CURDIR)/$(LINT)" run --config "$(CURDIR)/.golangci.yml" ./...) || rc=1; \
	done; exit $$rc

.PHONY: ui-test
ui-test: ## Drive the web UI in headless Chromium (uitest/; installs Debian's chromium if missing).
	./scripts/install-chromium.sh
	@# -v: the BENCH lines (how long the largest pages take to open) are printed on success too.
	cd uitest && $(GO) test -race -count=1 -v ./...

.PHONY: ui-screenshots
ui-screenshots: ## Rewrite docs/ui/*.png, the screenshots README shows, from the browser tests.
	./scripts/install-chromium.sh
	cd uitest && $(GO) test -count=1 ./... -update-screenshots

.PHONY: api-fuzz
api-fuzz: ## Fuzz `baton server` with Schemathesis through its OpenAPI document (~3 min; needs python3).
	./scripts/api-fuzz.sh

.PHONY: fuzz
fuzz: ## Run each Go fuzz target briefly (FUZZ_TIME each, default 15s) and print its exec count.
	./scripts/fuzz.sh

.PHONY: tools
tools: ## Install the pinned developer tools into .bin/.
	./scripts/install-tools.sh

.PHONY: compat
compat: ## Compatibility suite: real Conductor OSS and Baton, official SDKs; rewrites docs/compatibility.md.
	cd compat && $(GO) test -count=1 ./trace ./scenario ./cmd/... ./wfbuilder ./conductorgo/...
	@# compat/run.sh runs the scenarios against the real Conductor (its jar is fetched into
	@# ~/.cache/baton on first use) and against Baton, Baton's SDK against Conductor
	@# (compat/sdkcheck) and the official SDKs against both (compat/sdk/run.sh).
	@out="$${COMPAT_OUT:-$$(mktemp -d "$${TMPDIR:-/tmp}/baton-compat.XXXXXX")}"; rc=0; \
	COMPAT_OUT="$$out" compat/run.sh || rc=$$?; \
	(cd compat && $(GO) run ./cmd/compatdoc -results "$$out" -doc ../docs/compatibility.md) || rc=1; \
	echo "make compat: results in $$out, docs/compatibility.md regenerated (exit $$rc)"; exit $$rc

.PHONY: bench
bench: ## Compare with the peers, short version (1-2 min; prints every ratio; needs a JDK >= 21 for Conductor).
	cd bench && $(GO) run . -short -out "$${TMPDIR:-/tmp}/baton-bench/benchmarks.md"

.PHONY: bench-full
bench-full: ## Compare with the peers, full version (~20 min); rewrites docs/benchmarks.md and .png.
	cd bench && $(GO) run . -rounds 5

.PHONY: bench-go
bench-go: ## Run the Go micro-benchmarks briefly.
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2000x ./...

.PHONY: fmt
fmt: ## Format the code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: cover
cover: ## Test with coverage; writes coverage.out.
	$(GO) test -race -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1
