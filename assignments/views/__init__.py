"""Pages of the assignments app: duty, tasks handed down, reports upward."""
