"""What each gradient's shape means, said in words, for a student whose array came in another
shape: "dW1 should be (2, H) = (2, 5): rows are inputs, columns hidden units; you sent (5, 2):
transposed?"."""

from __future__ import annotations

# Each parameter's shape in the derivation's letters, and what its axes are.
SHAPES = {
    "W1": ("(2, H)", "rows are the 2 inputs, columns the hidden units"),
    "b1": ("(H,)", "one entry per hidden unit"),
    "W2": ("(H, C)", "rows are the hidden units, columns the classes"),
    "b2": ("(C,)", "one entry per class"),
}


def _written(shape: tuple[int, ...]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else "(" + ", ".join(str(n) for n in shape) + ")"


def shape_sentence(name: str, expected: tuple[int, ...], given: tuple[int, ...]) -> str | None:
    """The sentence for d<name> sent in shape `given` where `expected` is ours; None when they agree."""
    if tuple(given) == tuple(expected):
        return None
    letters, axes = SHAPES[name]
    sentence = f"d{name} should be {letters} = {_written(expected)}: {axes}; you sent {_written(given)}"
    if len(given) == 2 and tuple(reversed(given)) == tuple(expected) and given[0] != given[1]:
        return sentence + ": transposed?"
    if len(expected) == 1 and len(given) == 2 and sorted(given) == [1, expected[0]]:
        return sentence + ": a column or a row; send it as a flat list"
    if len(given) == len(expected) and sorted(given) != sorted(expected):
        return sentence + ": a different network (H or C) or the wrong run's inputs?"
    return sentence + "."
