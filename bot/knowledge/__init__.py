"""The store's question bank (问答库): entries managers write, retrieval by meaning, unanswered questions."""
