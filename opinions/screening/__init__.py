"""Prohibited-content matching: the multi-pattern matcher (the text folding is bureau.normalise, shared with search)."""
