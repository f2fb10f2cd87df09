"""Scheduled messages: the yearly spring clean, progress summaries and daily nudges."""
