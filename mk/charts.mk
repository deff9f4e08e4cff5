# Charts: rebuild the self-hosted partial plotly.js bundle (only the traces and components our
# charts draw: tools/plotly/entry.js).
#   make plotly-bundle   npm ci in tools/plotly, then esbuild -> docs/assets/javascripts/vendor/
# The bundle is committed, so a normal build or `make test` never needs Node.

.PHONY: plotly-bundle chart-figures

PLOTLY_TOOLS := tools/plotly

plotly-bundle:
	cd $(PLOTLY_TOOLS) && npm ci --no-audit --no-fund && node build.mjs

# Byte figures of the chart bundle (raw/gzip) and of a chart page; `make bench` can call the
# same function (tpguide.charts.byte_figures).
chart-figures: install
	$(RUN) python -m tpguide.charts
