"""The numbers on the manager console's overview, computed from the bot database for a period (see README,
"Manager console: what each figure means"). Plain Python over the unit of work; the web pages only adapt."""
