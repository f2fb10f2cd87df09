"""Handlers, one module per conversation area."""
