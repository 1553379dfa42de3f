"""The product's web app (port 8000): NLG endpoint, store API, manager pages."""
