# The evidence watch (tpguide.watch, issue 25). See docs/contributing/editor-guide.md,
# "The evidence watch: screening new papers".
#   make evidence-watch [TOPIC=dry-needling] [SINCE=2026-12-01] [OUT=build/evidence-watch.md]
# Asks PubMed for records added since each topic's last search in evidence/searches.yml and writes
# a report of candidate papers (default build/evidence-watch.md; OUT=- prints it). Without internet
# it says so in one line and exits 2. .github/workflows/evidence-watch.yml runs it each month.

.PHONY: evidence-watch

evidence-watch: install
	@$(RUN) python -m tpguide.watch $(if $(TOPIC),--topic "$(TOPIC)") $(if $(SINCE),--since "$(SINCE)") \
	  $(if $(OUT),--out "$(OUT)")
