"""Near-duplicate detection as pure functions of text: MinHash signatures over character shingles
of the screening's folded text, and the LSH band keys that find candidates (``minhash``)."""
