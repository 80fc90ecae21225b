"""Proofreading (错敏词校对): the lists admins keep, the check of a text against them (with the
shared matcher, ``bureau.matching``) and the recorded acknowledgements of hits that stay."""
