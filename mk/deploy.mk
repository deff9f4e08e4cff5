# Deploy: production headers and nginx config (logic: src/tpguide/deploy.py, security.py).
#   make preview-prod    build, then serve site/ with the production nginx config on $(HOST):$(PREVIEW_PORT)
#   make deploy-config   regenerate the committed deploy/nginx.conf
#   make nginx           install nginx from Debian packages when missing (make test needs it)

.PHONY: nginx preview-prod deploy-config

NGINX ?= /usr/sbin/nginx
PREVIEW_PORT ?= 8080

# Debian's nginx for the preview and the header tests (the container image uses nginx's own).
nginx:
	@if [ ! -x "$(NGINX)" ]; then \
	  echo "Installing nginx from Debian packages..."; \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; \
	fi

# The header tests (tests/deploy) start nginx themselves.
test: nginx

# Foreground; Ctrl-C stops it. The build writes build/deploy/csp.conf next to site/.
preview-prod: install nginx build
	NGINX=$(NGINX) $(RUN) python -m tpguide.deploy preview --site site --csp build/deploy/csp.conf \
	  --host $(HOST) --port $(PREVIEW_PORT)

deploy-config: install
	$(RUN) python -m tpguide.deploy nginx-conf --output deploy/nginx.conf

# The nginx header tests are not browser tests: test-fast runs them too.
test-fast: nginx
