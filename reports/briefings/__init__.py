"""Briefings (舆情简报): the daily, weekly and monthly briefings and an event's special report (专报)."""
