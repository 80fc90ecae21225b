"""Prohibited-content matching: a screening term for the shared matcher (``bureau.matching``; the text folding is
bureau.normalise, shared with search)."""
