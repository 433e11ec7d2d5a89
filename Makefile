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
lint: tools ## Run golangci-lint (pinned, installed into .bin/).
	$(LINT) run ./...

.PHONY: tools
tools: ## Install the pinned developer tools into .bin/.
	./scripts/install-tools.sh

.PHONY: bench
bench: ## Run the Go benchmarks briefly (results: docs/benchmarks.md).
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2000x ./...

.PHONY: fmt
fmt: ## Format the code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: cover
cover: ## Test with coverage; writes coverage.out.
	$(GO) test -race -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -1
