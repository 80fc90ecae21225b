"""Prohibited-content matching: text normalisation and the multi-pattern matcher."""
