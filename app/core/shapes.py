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
    # the intermediates, for the whole batch, and one training point's row of them
    "dz2": ("(N, C)", "rows are the training points, columns the classes"),
    "da1": ("(N, H)", "rows are the training points, columns the hidden units"),
    "dz1": ("(N, H)", "rows are the training points, columns the hidden units"),
}
ROW_SHAPES = {
    "dz2": ("(C,)", "one training point's row: one entry per class"),
    "da1": ("(H,)", "one training point's row: one entry per hidden unit"),
    "dz1": ("(H,)", "one training point's row: one entry per hidden unit"),
}


def _letters(name: str, L: int, F: int, row: bool) -> tuple[str, str]:
    """A parameter's or an intermediate's shape in letters and what its axes are, at any depth:
    H0 = F (the inputs) and H(L+1) = C (the classes)."""
    if L == 1 and F == 2:
        return (ROW_SHAPES if row else SHAPES)[name]
    l = int(name[2:] if name[0] == "d" else name[1:])

    def width(k: int) -> tuple[str, str, str]:
        """Layer k's width in letters, its units, one of them."""
        if k == 0:
            return "F", f"the {F} inputs", "input"
        if k == L + 1:
            return "C", "the classes", "class"
        return f"H{k}", f"the units of hidden layer {k}", f"unit of hidden layer {k}"

    (out, out_words, one), (into, into_words, _) = width(l), width(l - 1)
    if name[0] == "W":
        return f"({into}, {out})", f"rows are {into_words}, columns {out_words}"
    if name[0] == "b":
        return f"({out},)", f"one entry per {one}"
    if row:
        return f"({out},)", f"one training point's row: one entry per {one}"
    return f"(N, {out})", f"rows are the training points, columns {out_words}"


def _written(shape: tuple[int, ...]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else "(" + ", ".join(str(n) for n in shape) + ")"


def shape_sentence(
    name: str,
    expected: tuple[int, ...],
    given: tuple[int, ...],
    row: bool = False,
    L: int = 1,
    F: int = 2,
) -> str | None:
    """The sentence for d<name> (a parameter's gradient) or an intermediate (dz2, da1, dz1, or at
    depth dz(l), da(l); with `row`, one training point's row of it) sent in shape `given` where
    `expected` is ours, in a network of F inputs and L hidden layers; None when they agree."""
    if tuple(given) == tuple(expected):
        return None
    letters, axes = _letters(name, L, F, row)
    written = name if name[0] == "d" else f"d{name}"
    sentence = f"{written} should be {letters} = {_written(expected)}: {axes}; you sent {_written(given)}"
    if len(given) == 2 and tuple(reversed(given)) == tuple(expected) and given[0] != given[1]:
        return sentence + ": transposed?"
    if len(expected) == 1 and len(given) == 2 and sorted(given) == [1, expected[0]]:
        return sentence + ": a column or a row; send it as a flat list"
    if len(given) == len(expected) and sorted(given) != sorted(expected):
        return sentence + ": a different network (H or C) or the wrong run's inputs?"
    return sentence + "."
