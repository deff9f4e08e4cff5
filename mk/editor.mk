# Editor commands (tpguide.cli). See docs/contributing/editor-guide.md.
#   make new-post TITLE="Plain title" CITE="key1,key2" [CATEGORY=Trials] [TAGS="a,b"] [AUTHOR=id] [SLUG=...]
#   make new-article TITLE="Plain title" CITE="key1,key2" [DIR=treatments] [AUDIENCE=patient] [SLUG=...]
#   make review [DAYS=60] [FAIL=1]

.PHONY: new-post new-article review

DAYS ?= 60

new-post: install
	@$(RUN) python -m tpguide.cli new-post --title "$(TITLE)" --cite "$(CITE)" \
	  $(if $(CATEGORY),--category "$(CATEGORY)") $(if $(TAGS),--tags "$(TAGS)") \
	  $(if $(AUTHOR),--author "$(AUTHOR)") $(if $(SLUG),--slug "$(SLUG)")

new-article: install
	@$(RUN) python -m tpguide.cli new-article --title "$(TITLE)" --cite "$(CITE)" \
	  $(if $(DIR),--dir "$(DIR)") $(if $(AUDIENCE),--audience "$(AUDIENCE)") $(if $(SLUG),--slug "$(SLUG)")

review: install
	@$(RUN) python -m tpguide.cli review --days $(DAYS) $(if $(FAIL),--fail)
