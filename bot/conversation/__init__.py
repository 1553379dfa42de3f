"""How a conversation reads a shopper's message: the asks it carries."""
