"""Orders: creation through the web API, payment, cancellation, status."""
