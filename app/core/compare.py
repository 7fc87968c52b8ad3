"""Compare a student's gradients (and, if sent, the intermediates dz2, da1, dz1, or at any depth
dz(L+1), da(L), dz(L), ..., da1, dz1) with ours, entry by entry, name the smallest set of catalogue
mistakes that explains them, and say where the first wrong one starts, walking from the output down.

Tolerances are relative only: an entry's error is |ours - theirs| / max(|ours| + |theirs|,
RELATIVE_FLOOR * scale), where scale is the largest magnitude in either array. Entries far below
the array's own scale are judged against that scale, so a session trained long, whose gradients are
1e-7, is judged as strictly as a fresh one, and rounding in an entry that cancelled to nearly 0
does not count as a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .mistakes.catalogue import MISTAKES_BY_NAME
from .mistakes.derivations import (
    RIGHT,
    BackwardPasses,
    Derivation,
    Derived,
    derive,
    intermediate_names,
    transposed_names,
)
from .mistakes.search import Found, Variant, smallest_sets, variants, without_transposes
from .network import Params, depth, forward, layer_sizes, param_names
from .shapes import shape_sentence

AGREES_BELOW = 1e-4  # the student's float32 or float64 code agrees with ours to rounding
EXPLAINS_BELOW = 1e-3  # a mistake's array matches the student's to this: it is the mistake
RELATIVE_FLOOR = 1e-3  # entries under this share of the array's scale are judged against the scale
INTERMEDIATE_NAMES = intermediate_names(1)  # one hidden layer's, in the order the backward pass computes them
FIRST_WRONG_LISTED = 3


def last_line(name: str, l1: float = 0.0) -> tuple[str, str]:
    """The line that computes a parameter's gradient (W3, b3) and the intermediate it starts from."""
    l = int(name[1:])
    if name[0] == "b":
        return f"dz{l}", f"db{l} = dz{l}.sum(axis=0)"
    a_in = "X" if l == 1 else f"a{l - 1}"
    return f"dz{l}", f"dW{l} = {a_in}.T @ dz{l} + lam * W{l}" + (f" + l1 * sign(W{l})" if l1 else "")


def written(name: str) -> str:
    """How the answer writes an array sent under `name`: dW1 for W1, dz2 for dz2."""
    return name if name[0] == "d" else f"d{name}"


def scaled_error(ours: np.ndarray, given: np.ndarray) -> np.ndarray:
    """|ours - given| / max(|ours| + |given|, RELATIVE_FLOOR * scale) entry by entry, scale the
    largest magnitude in either; 0 where both are 0 everywhere."""
    size = np.abs(ours) + np.abs(given)
    scale = max(float(np.max(np.abs(ours), initial=0)), float(np.max(np.abs(given), initial=0)))
    denominator = np.maximum(size, RELATIVE_FLOOR * scale)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, np.abs(ours - given) / denominator, 0.0)


def _agrees(candidate: np.ndarray, ours: np.ndarray) -> bool:
    error = scaled_error(candidate, ours) if candidate.shape == ours.shape else None
    return error is not None and float(np.max(error, initial=0)) <= AGREES_BELOW


def _matches(candidate: np.ndarray, given: np.ndarray) -> bool:
    return (
        candidate.shape == given.shape
        and float(np.max(scaled_error(candidate, given), initial=0)) <= EXPLAINS_BELOW
    )


@dataclass
class ParamComparison:
    name: str
    expected_shape: tuple[int, ...]
    given_shape: tuple[int, ...] | None
    max_rel_error: float | None  # None when the shapes differ or it was not given
    rel_error: np.ndarray | None  # per entry, same shape as ours
    differing: list[tuple[int, ...]] = field(default_factory=list)  # indices with rel_error > AGREES_BELOW
    ours: np.ndarray | None = None
    given: np.ndarray | None = None  # theirs laid out as ours (a transposed one transposed back), or None
    L: int = 1  # the network's hidden layers and inputs, for the shape's words
    F: int = 2

    @property
    def shape_message(self) -> str | None:
        """What the shape should have been, in words, when theirs is another; None when it is ours."""
        return (
            None
            if self.given_shape is None
            else shape_sentence(self.name, self.expected_shape, self.given_shape, L=self.L, F=self.F)
        )

    @property
    def differs(self) -> np.ndarray | None:
        """rel_error > AGREES_BELOW entry by entry (same shape as ours), or None without rel_error."""
        return None if self.rel_error is None else self.rel_error > AGREES_BELOW

    @property
    def agrees(self) -> bool:
        return self.max_rel_error is not None and self.max_rel_error <= AGREES_BELOW

    @property
    def first_wrong(self) -> list[dict]:
        """The first few differing entries: {index, ours, given}."""
        return [
            {"index": list(index), "ours": float(self.ours[index]), "given": float(self.given[index])}
            for index in self.differing[:FIRST_WRONG_LISTED]
        ]


@dataclass
class Comparison:
    params: dict[str, ParamComparison]
    explained_by: list[dict]  # {name, form, title, explanation, fix, fix_tex, params}
    intermediates: dict[str, ParamComparison] = field(default_factory=dict)
    sample: int | None = None
    unexplained: list[str] = field(default_factory=list)  # names sent that differ and nothing explains
    summary: str = ""
    where: dict | None = None  # {first_wrong, message}; None when no intermediate was sent
    L: int = 1  # the network's hidden layers
    loss: str = "cross_entropy"

    @property
    def all_agree(self) -> bool:
        return all(c.agrees for c in (*self.params.values(), *self.intermediates.values()))

    @property
    def all_given(self) -> bool:
        """Every parameter's gradient was given, so the whole backward pass was checked."""
        return set(self.params) == set(param_names(self.L))


def in_our_layout(given: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """The student's array laid out in `shape`: as it is, transposed back when they sent the
    transpose, or a bias sent as a column or a row of one as a vector; None when it is none of these."""
    if given.shape == shape:
        return given
    if given.ndim == 2 and given.T.shape == shape:
        return given.T
    if len(shape) == 1 and given.size == shape[0] and max(given.shape, default=0) == given.size:
        return given.reshape(shape)
    return None


def _check_names(given: dict, names: tuple[str, ...], inter: tuple[str, ...]) -> None:
    allowed = (*names, *inter)
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValueError(
            f"gradients may only name {', '.join(allowed)}; got {len(unknown)} other name(s), "
            f"such as {min(unknown)[:40]!r}"
        )
    if not set(given) & set(allowed):
        raise ValueError(f"gradients must include at least one of {', '.join(names)} (or {', '.join(inter)})")


def _intermediate(
    name: str, g: np.ndarray, batch_shape: tuple[int, int], sample: int | None, L: int, F: int
) -> np.ndarray:
    """The student's intermediate as the batch (N, K) or, with sample, one row (K,); ValueError
    saying what was expected otherwise."""
    N, K = batch_shape
    is_row = g.ndim == 1 and g.shape == (K,) or g.shape == (1, K)
    if sample is None:
        if g.shape == batch_shape:
            return g
        if is_row:
            raise ValueError(
                f"{name} is one row ({K},): say which training point it is with sample (0 <= sample < {N}), "
                f"or send the whole batch ({N}, {K})"
            )
        raise ValueError(shape_sentence(name, batch_shape, g.shape, L=L, F=F))
    if is_row:
        return g.reshape(K)
    if g.shape == batch_shape:
        raise ValueError(
            f"sample is given, so {name} must be that training point's row ({K},); you sent the whole "
            f"batch {batch_shape}: leave sample out to check the batch"
        )
    raise ValueError(shape_sentence(name, (K,), g.shape, row=True, L=L, F=F))


def _remembered(judge):
    """judge(candidate, given), asked once per pair of arrays: many records share an array (the
    intermediates of one output delta and f', a gradient no line of theirs changes). Each verdict
    keeps its arrays, so an id is never another array's while the search runs."""
    verdicts: dict[tuple[int, int], tuple[np.ndarray, bool]] = {}

    def remembered(candidate: np.ndarray, given: np.ndarray) -> bool:
        key = (id(candidate), id(given))
        if key not in verdicts:
            verdicts[key] = (candidate, judge(candidate, given))
        return verdicts[key][1]

    return remembered


def _compared(name: str, ours: np.ndarray, g: np.ndarray, L: int, F: int) -> ParamComparison:
    comparison = ParamComparison(
        name, ours.shape, g.shape, None, None, ours=ours, given=in_our_layout(g, ours.shape), L=L, F=F
    )
    if g.shape == ours.shape:
        rel = scaled_error(ours, g)
        comparison.max_rel_error = float(rel.max(initial=0))
        comparison.rel_error = rel
        comparison.differing = list(map(tuple, np.argwhere(rel > AGREES_BELOW).tolist()))
    return comparison


@dataclass(frozen=True)
class Setting:
    """What the words of an answer depend on: the activation, the loss, l1, the depth."""

    activation: str
    loss: str
    l1: float
    L: int


def compare_gradients(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    given: dict[str, np.ndarray],
    activation: str,
    lam: float,
    sample: int | None = None,
    *,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> Comparison:
    """Our float64 gradients at `params` (L hidden layers) on (X (N, F), Y (N, C)) against the
    student's `given` (any of W1, b1, ..., W(L+1), b(L+1) and of the intermediates dz(L+1) (N, C),
    da(l), dz(l) (N, H(l)), or with `sample` one training point's rows of them), and the smallest set
    of known mistakes that reproduces theirs, for the loss `loss_name` with penalties lam and l1."""
    L = depth(params)
    names, inter = param_names(L), intermediate_names(L)
    _check_names(given, names, inter)
    params = {name: np.asarray(params[name], dtype=np.float64) for name in names}
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    sizes = layer_sizes(params)  # (F, H1, ..., HL, C)
    N, F = X.shape[0], sizes[0]
    if sample is not None and not 0 <= sample < N:
        raise ValueError(f"sample must be a training point's index, 0 <= sample < {N}; got {sample}")
    sent_intermediates = [name for name in inter if name in given]
    if sample is not None and not sent_intermediates:
        raise ValueError(
            f"sample says which row of {', '.join(inter)} you sent; send one of them, or leave sample out"
        )
    theirs = {}
    for name in (*names, *inter):
        if name not in given:
            continue
        g = np.asarray(given[name], dtype=np.float64)
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradients {name} has entries that are not finite numbers")
        if name in inter:
            g = _intermediate(name, g, (N, sizes[int(name[2:])]), sample, L, F)
        theirs[name] = g

    fwd = forward(params, X, activation)
    derived: dict[Derivation, Derived] = {}
    passes = BackwardPasses(params, fwd, Y, loss_name)  # a mistake's pass from the ones run already

    def arrays_of(record: Derivation) -> dict[str, np.ndarray]:
        """The arrays the derivation gives under the names sent, one training point's rows with sample."""
        key = without_transposes(record)
        if key not in derived:
            shared = None if key == RIGHT else passes  # ours exactly as the backward pass gives it
            derived[key] = derive(key, params, fwd, Y, lam, loss_name, l1, shared)
        done = derived[key]
        transposed = transposed_names(record, L + 1)
        arrays = {}
        for name in theirs:
            if name in inter:
                arrays[name] = (
                    done.intermediates[name] if sample is None else done.intermediates[name][sample]
                )
            else:
                arrays[name] = done.grads[name].T if name in transposed else done.grads[name]
        return arrays

    run = Setting(activation, loss_name, l1, L)
    ours = arrays_of(RIGHT)
    report = {name: _compared(name, ours[name], theirs[name], L, F) for name in theirs}
    differing = [name for name, c in report.items() if not c.agrees]
    found = (
        smallest_sets(
            variants(activation, loss_name, L), arrays_of, _remembered(_matches), _agrees, theirs, differing
        )
        if differing
        else Found([], {})
    )
    explained, unexplained = _explanations(found, differing, arrays_of, ours, run)
    comparison = Comparison(
        {n: c for n, c in report.items() if n in names},
        explained,
        {n: c for n, c in report.items() if n in inter},
        sample,
        unexplained,
        L=L,
        loss=loss_name,
    )
    comparison.summary = _summary(comparison, found)
    comparison.where = _where(comparison, run) if sent_intermediates else None
    return comparison


def _entry(variant: Variant, form: str | None, names: list[str], run: Setting) -> dict:
    m = variant.mistake
    f = get_activation(run.activation)
    words = m.words(run.L, run.loss)
    fix, fix_tex = (
        (variant.form.fix, variant.form.fix_tex) if form and variant.form.fix else (words.fix, words.fix_tex)
    )
    return {
        "name": m.name,
        "form": form,
        "title": words.title,
        "explanation": words.explanation,
        # the right line with this activation's own f' written out
        "fix": fix.replace("f'(z1)", f.df_factor_text()).replace(
            "f'(z(l))", f.df_factor_text("z(l)", "a(l)")
        ),
        "fix_tex": fix_tex.replace("f'(z_1)", f.df_tex()).replace(
            r"f'(z_\ell)", f.df_tex(r"z_\ell", r"a_\ell")
        ),
        "params": names,
    }


def _explanations(
    found: Found, differing: list[str], arrays_of, ours, run: Setting
) -> tuple[list[dict], list[str]]:
    """explained_by's entries and the names no known mistake explains."""
    if found.whole:
        chosen = found.whole[0]
        alike = [s for s in found.whole if [v.mistake.name for v in s] == [v.mistake.name for v in chosen]]
        entries = []
        for i, variant in enumerate(chosen):
            # a form is named only when it is the only one that fits here (lam = 0: every summed form)
            form = variant.form.name if len({s[i].form.name for s in alike}) == 1 else None
            alone = arrays_of(variant.change(RIGHT))
            names = [n for n in differing if not _agrees(alone[n], ours[n])] or differing
            entries.append(_entry(variant, form, names, run))
        return entries, []
    by_variant: dict[Variant, list[str]] = {}
    for name in differing:
        for variant in found.per_array.get(name) or ():
            alone = arrays_of(variant.change(RIGHT))
            if len(found.per_array[name]) == 1 or not _agrees(alone[name], ours[name]):
                by_variant.setdefault(variant, []).append(name)  # the arrays it changes, in its set
    entries = [_entry(v, v.form.name, names, run) for v, names in by_variant.items()]
    return entries, [n for n in differing if found.per_array.get(n) is None]


def _names(names) -> str:
    names = [written(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _first_wrong_words(c: ParamComparison) -> str:
    if c.shape_message:
        return c.shape_message
    first = c.first_wrong[0]
    return (
        f"{written(c.name)} differs in a way not one we know "
        f"({len(c.differing)} of {c.ours.size} entries; first {first['index']}: ours {first['ours']:.6g}, "
        f"yours {first['given']:.6g})"
    )


def _in_sentence(title: str, comparison: Comparison) -> str:
    """A title inside a sentence: lower case as one hidden layer's cross-entropy answers always
    wrote it, else only its first letter, so that dW(l), L1 and Jacobian keep theirs."""
    if comparison.L == 1 and comparison.loss == "cross_entropy":
        return title.lower()
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def _named(entry: dict, comparison: Comparison) -> str:
    """A mistake named in a sentence: its title, its form in words, the arrays it explains."""
    mistake = MISTAKES_BY_NAME[entry["name"]]
    says = mistake.form(entry["form"], comparison.L).says if entry["form"] else ""
    title = _in_sentence(entry["title"], comparison)
    return f"{title}{f' ({says})' if says else ''} in {_names(entry['params'])}"


def _summary(comparison: Comparison, found: Found) -> str:
    """The verdict in one sentence."""
    every = {**comparison.params, **comparison.intermediates}
    if comparison.all_agree:
        return (
            f"Everything you sent agrees with ours: {_names(every)}, each entry within a relative "
            f"{AGREES_BELOW:.0e}.".replace("e-0", "e-")
        )
    named = [_named(e, comparison) for e in comparison.explained_by]
    if found.whole:
        count = "One mistake explains" if len(named) == 1 else f"{len(named)} mistakes together explain"
        sentence = f"{count} every difference: " + "; ".join(named)
        others = [
            s
            for s in found.whole[1:]
            if {v.mistake.name for v in s} != {v.mistake.name for v in found.whole[0]}
        ]
        if others:
            alternative = " + ".join(
                _in_sentence(v.mistake.words(comparison.L, comparison.loss).title, comparison)
                for v in others[0]
            )
            sentence += f" ({alternative} would give the same numbers here; this is the likelier)"
        return sentence + "."
    unknown = "; ".join(_first_wrong_words(every[n]) for n in comparison.unexplained)
    if not named:
        return f"Not one mistake we know explains this: {unknown}."
    return f"Part of it is a mistake we know: {'; '.join(named)}. The rest is not one we know: {unknown}."


def _hint(name: str, run: Setting) -> str:
    """Where to look when the intermediate `name` is the first wrong one: the line that computes it."""
    l = int(name[2:])
    if name.startswith("da"):
        return f"the step back through W{l + 1} — da{l} = dz{l + 1} @ W{l + 1}.T"
    if l == run.L + 1:
        return f"the output delta — dz{l} = {get_loss(run.loss).delta_text}"
    return f"f'(z{l}) — dz{l} = da{l} * {get_activation(run.activation).df_factor_text(f'z{l}', f'a{l}')}"


def _where(comparison: Comparison, run: Setting) -> dict:
    """Which sent intermediate is the first wrong one, from the output down, in words, and where to look."""
    right = []
    for name, c in comparison.intermediates.items():
        if not c.agrees:
            said = ", ".join([*(f"{n} is right" for n in right), f"{name} is wrong"])
            return {"first_wrong": name, "message": f"{said}: look at {_hint(name, run)}"}
        right.append(name)
    said = ", ".join(f"{n} is right" for n in right)
    wrong = [n for n, c in comparison.params.items() if not c.agrees]
    if not wrong:
        return {"first_wrong": None, "message": f"{said}, and so is every gradient you sent."}
    lines = []
    for name in wrong:
        start, line = last_line(name, run.l1)
        if start in comparison.intermediates:
            lines.append(f"d{name} is wrong: the mistake is in its last line — {line}")
        else:
            lines.append(f"d{name} is wrong: the mistake is between {right[-1]} and {line}")
    return {"first_wrong": wrong[0], "message": f"{said}; " + "; ".join(lines)}
