"""View models: plain dicts and lists built from service results, ready for the templates."""
