"""The supervisors dashboard: figures for a period, charts, the per-department assessment."""
