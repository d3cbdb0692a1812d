# iommufd live update: the workspace around the patch series.
# `make help` lists the targets.

SHELL := /bin/bash
S := scripts

.PHONY: help deps base tree export kernel selftests check mails vm-test test test-debug mutants demo bench clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-10s %s\n", $$1, $$2 }'

deps: ## install the Debian packages the build and the tests need (once)
	@$(S)/deps

base: deps ## fetch and verify the pinned base kernel (cached outside the clone)
	@$(S)/fetch-base >/dev/null

tree: base ## build/linux = base + patches/ (git am); FORCE=1 to drop unexported work
	@$(S)/make-tree

export: ## write build/linux's commits back to patches/ (git format-patch)
	@$(S)/export

kernel: ## build the test kernel (out of tree, ccache) in build/kernel
	@[ -d build/linux/.git ] || $(MAKE) --no-print-directory tree
	@$(S)/build-kernel

selftests: ## build the static test programs into build/tests/bin
	@$(S)/build-selftests

check: ## static checks; htmldocs, coccicheck, kselftest-merge against base; kunit.py and vmtest.sh
	@[ -d build/linux/.git ] || $(MAKE) --no-print-directory tree
	@$(S)/check

mails: ## the series as the mails b4 would send (b4 send -o, a dry run) in build/mails
	@$(S)/mails

vm-test: ## run the tests in QEMU on the built kernel
	@$(S)/run-tests

test: ## everything: deps, tree, static checks, kernel, tests in QEMU
	@$(S)/test

test-debug: ## the QEMU tests on a debug kernel (KASAN, UBSAN, KFENCE, lockdep, ...)
	@$(S)/test-debug

mutants: ## realistic mistakes built into the kernel one at a time; each must fail the boots named for it
	@$(S)/mutants

demo: deps ## the VMM user story end to end in QEMU, narrated
	@$(MAKE) --no-print-directory kernel
	@$(MAKE) --no-print-directory selftests
	@$(S)/demo

bench: ## benchmarks with baselines measured in the same run
	@$(S)/bench

clean: ## remove build/; refuses while build/linux holds unexported work (FORCE=1)
	@$(S)/clean
