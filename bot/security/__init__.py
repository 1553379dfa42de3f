"""Who may call what: secrets, staff accounts and roles, signed shopper sessions, request limits."""
