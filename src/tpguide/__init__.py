"""Trigger Point Guide build logic."""
