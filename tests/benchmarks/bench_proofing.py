"""Proofreading benchmark: the check of one text against large lists, with the matcher cached per
list version (as screening) and when it has to be rebuilt. A cached check is two queries (the
lists' version, the item's acknowledgements) and one scan; the scan alone is measured too.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes: BENCH_PROOFING_TERMS (5000 terms over three lists), BENCH_PROOFING_CHECKS (200 checks of a
2,000-character text with ten hits)."""

import os
import random
import statistics
import time

TERMS = int(os.environ.get("BENCH_PROOFING_TERMS", "5000"))
CHECKS = int(os.environ.get("BENCH_PROOFING_CHECKS", "200"))


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 2), "unit": unit, "target": target, "met": bool(met)}


def run() -> list[dict]:
    from bureau import clock
    from demo.load.opinions import random_keywords, random_text
    from proofing import selectors
    from proofing.models import ProofList, ProofTerm
    from proofing.selectors import Text, proof_read
    from proofing.services import proof_list_saved

    rng = random.Random(17)  # noqa: S311 - synthetic data
    words = [word for word in random_keywords(rng, TERMS * 2) if len(word) >= 4][:TERMS]
    ProofTerm.objects.all().delete()
    ProofList.objects.all().delete()
    kinds = [ProofList.Kind.WRONG_FORM, ProofList.Kind.OUTDATED, ProofList.Kind.SENSITIVE]
    lists = [ProofList.objects.create(name=f"bench-{kind}", kind=kind, updated_at=clock.now()) for kind in kinds]
    ProofTerm.objects.bulk_create(
        ProofTerm(proof_list=lists[number % 3], wrong=word, correct=word[::-1] if number % 3 != 2 else "")
        for number, word in enumerate(words)
    )
    for proof_list in lists:
        proof_list_saved(proof_list=proof_list, actor=None)
    text = random_text(rng, 2000)
    planted = words[:10]
    for number, word in enumerate(planted):  # ten hits, spread through the text
        at = 150 * number + 40
        text = text[:at] + word + text[at:]
    texts = [Text("body", "body", text)]

    selectors._cache.update(version=None, matcher=None)
    started = time.perf_counter()
    first = proof_read(subject=None, texts=texts)
    build_seconds = time.perf_counter() - started
    found = {hit.wrong for hit in first.hits}

    timings = []
    for _ in range(CHECKS):
        started = time.perf_counter()
        proof_read(subject=lists[0], texts=texts)  # with the acknowledgements' query, as a page does
        timings.append((time.perf_counter() - started) * 1000)
    median, worst = statistics.median(timings), max(timings)
    matcher = selectors.proof_matcher()
    bare = []
    for _ in range(CHECKS):  # the scan and the hits alone: no query (the matcher passed in)
        started = time.perf_counter()
        proof_read(subject=None, texts=texts, matcher=matcher)
        bare.append((time.perf_counter() - started) * 1000)
    bare_median = statistics.median(bare)
    print(
        f"proofing: {TERMS:,} terms, {len(text):,} chars, {len(first.hits)} hits; first check (matcher built) "
        f"{build_seconds:.2f}s, then median {median:.2f} ms, worst {worst:.2f} ms over {CHECKS} checks; "
        f"without the two queries {bare_median:.3f} ms"
    )
    return [
        _result("proofing: every planted hit found", len(found & set(planted)), "of 10", 10, found >= set(planted)),
        _result(f"proofing: first check, matcher built ({TERMS:,} terms)", build_seconds, "s", 5, build_seconds <= 5),
        _result("proofing: one check, matcher cached (median, 2,000 chars)", median, "ms", 10, median <= 10),
        _result("proofing: the same check without its two queries (median)", bare_median, "ms", 1, bare_median <= 1),
    ]
