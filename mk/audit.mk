# Quality gates (logic: src/tpguide/audit.py; tests: tests/audit/).
#   make audit-deps   npm ci in tools/audit (vnu-jar, axe-core, lighthouse 12.2); Java if missing
#   make audit        build, then the slow gates: Lighthouse (CI runs it after make test)
#   make audit-report every gate on site/ with counts and scores (python -m tpguide.audit)
# The fast gates (links, HTML, axe light+dark on desktop and, for the patient pages, on a phone,
# CSP/requests/handlers, print) run in `make test`.

.PHONY: audit audit-deps audit-report java

AUDIT_TOOLS := tools/audit
AUDIT_STAMP := $(AUDIT_TOOLS)/node_modules/.installed-$(shell cat $(AUDIT_TOOLS)/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

# Java for the Nu HTML Checker (Debian package) when `java` is missing.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "Installing Java from Debian packages..."; \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jre-headless; \
	fi

# --ignore-scripts: vnu-jar's postinstall would only look for (or fetch) a Java runtime.
audit-deps: java $(AUDIT_STAMP)
$(AUDIT_STAMP): $(AUDIT_TOOLS)/package-lock.json $(AUDIT_TOOLS)/package.json
	cd $(AUDIT_TOOLS) && npm ci --ignore-scripts --no-audit --no-fund
	@rm -f $(AUDIT_TOOLS)/node_modules/.installed-* && touch $@

# The fast gates need the tools too.
test: audit-deps

# Slow gates: Lighthouse, mobile, median of 5 runs on home, an article, a chart page and the
# references; fails below 0.95 in any category. Scores are printed at the end of the run.
# Then the input fuzzer with a random seed and 1,000 examples (make test runs 100, fixed seed;
# each example built and prepared, about 7 minutes on 2 cores). TPG_FUZZ_EXAMPLES=... sets the count.
TPG_FUZZ_EXAMPLES ?= 1000
audit: install chromium audit-deps build
	TPG_AUDIT_LIGHTHOUSE=1 $(RUN) pytest tests/audit -m lighthouse
	TPG_FUZZ_EXAMPLES=$(TPG_FUZZ_EXAMPLES) TPG_FUZZ_RANDOM=1 $(RUN) pytest tests/build/test_fuzz_build.py -p no:cacheprovider --hypothesis-show-statistics

# Every gate on the built site/, one summary (counts, Lighthouse scores); exit 1 on any finding.
audit-report: install chromium audit-deps build
	$(RUN) python -m tpguide.audit site
