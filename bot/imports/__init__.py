"""The store's own data: products and order history from CSV or Excel, checked row by row (dry run first).

Column mapping: README, "Importing the store's products and orders". Every rejected row is reported with its row
number and reason; nothing is written unless the whole file is applied, and re-importing updates in place."""
