"""The product catalog: lookups and the answers about a product (price, stock, size, details)."""
