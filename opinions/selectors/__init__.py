"""Reads of the opinions app, one module per sub-domain; each list in a fixed number of queries."""
