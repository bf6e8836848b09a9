"""The library's "nothing matched" threshold, measured: the top hit's relevance for real failure descriptions
and for nonsense. Run: .venv/bin/python benchmarks/bench_relevance.py"""

from __future__ import annotations

from coach.retrieval.library import RELEVANCE_MIN, make_library

REAL = [
    "our promo code leaked to coupon sites",
    "a discount code shared far beyond its audience",
    "we emailed the whole list a test message by mistake",
    "the campaign targeted the wrong audience and nobody converted",
    "we spent the budget on a channel our customers do not use",
    "the landing page was broken on mobile so sign-ups collapsed",
    "a hashtag campaign hijacked by critics",
    "an ad that people found offensive and tone deaf",
    "the launch was too expensive for the revenue it brought",
    "we changed the product and loyal users revolted",
    "personalised email that customers found creepy",
    "a free offer that cost far more than it earned",
    "our influencer campaign got no engagement",
    "the rebrand confused customers and sales fell",
]
NONSENSE = [
    "purple elephant banana quantum",
    "asdf qwer zxcv",
    "the recipe for grandma's lasagna with extra basil",
    "how tall is mount everest",
    "my cat sleeps on the keyboard every afternoon",
    "football scores from last weekend",
    "lorem ipsum dolor sit amet",
    "best hiking boots for winter",
    "xyzzy plugh",
    "what time does the train to leeds leave",
    "knitting a scarf with blue wool",
    "quantum chromodynamics gluon field",
]


def top(library, query: str) -> float:
    hits = library.search(query, k=5, min_relevance=0.0)
    return max((h.relevance for h in hits), default=0.0)


def main() -> None:
    library = make_library()
    real = sorted(top(library, q) for q in REAL)
    nonsense = sorted(top(library, q) for q in NONSENSE)
    print(
        f"real queries     n={len(real)} min={real[0]:.3f} median={real[len(real) // 2]:.3f} max={real[-1]:.3f}"
    )
    print(
        f"nonsense queries n={len(nonsense)} min={nonsense[0]:.3f} median={nonsense[len(nonsense) // 2]:.3f} "
        f"max={nonsense[-1]:.3f}"
    )
    print(
        f"threshold RELEVANCE_MIN={RELEVANCE_MIN}: real kept {sum(r >= RELEVANCE_MIN for r in real)}/{len(real)}, "
        f"nonsense refused {sum(n < RELEVANCE_MIN for n in nonsense)}/{len(nonsense)}"
    )
    for q in REAL + NONSENSE:
        print(f"  {top(library, q):.3f}  {q}")


if __name__ == "__main__":
    main()
