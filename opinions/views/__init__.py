"""The opinions pages, one module per sub-domain; each view: permission, selector, one service call."""
