"""The manager console (店长后台): overview, conversations, store data imports, settings, staff, 追销; its pages
extend one shell (layout.py) whose navigation is one registry (nav.py); app.py mounts blueprints.py."""
