"""The alerts app's changes of state, by sub-domain: raising and acknowledging (``raising``), the
evaluators (``evaluation``), escalation (``escalation``) and the outbox (``delivery``)."""
