"""Load tools for measuring the public site: bulk content and the `make bench-pages` runner."""
