# Patchbay — build, run, test. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
DATA := $(CURDIR)/.data
PG_PORT ?= 54320
TEST_PG_PORT ?= 54321
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: deps build release run test test-swift migrate seed-connectors fmt lint bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Starts a project-local PostgreSQL under .data/ unless DATABASE_URL is set, then migrates, seeds and serves.
run: release
	@scripts/run.sh

migrate: release
	@scripts/with-db.sh $(CURDIR)/.build/release/patchbay migrate

seed-connectors: release
	@scripts/with-db.sh $(CURDIR)/.build/release/patchbay seed

# Every test: the formatting check, then Swift unit and integration tests against a throwaway
# PostgreSQL, then the browser and process tests.
test:
	@scripts/install-deps.sh --browser
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
	$(SWIFT) build --build-tests
	@scripts/test.sh

fmt:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

bench: deps
	@scripts/bench.sh

clean:
	rm -rf .build .build-*
