"""Every change of state in the opinions app, one module per sub-domain."""
