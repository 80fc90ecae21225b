"""The panels of the "my work" page, one module per feature app: ``panels(*, user, person)``."""
