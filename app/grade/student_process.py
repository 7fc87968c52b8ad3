"""The subprocess that runs a student's backward() on the battery, so that their loop or crash
costs the grader nothing: `python -m app.grade.student_process STUDENT.py WORKDIR`.

Reads WORKDIR/cases.npz; writes WORKDIR/activations.txt once the file is loaded (the activations
it is graded with, one a line: every one when its backward() takes `activation`, else its
ACTIVATION; or WORKDIR/load_error.txt and exits 2) and WORKDIR/deep.txt (1 when the file sets
DEEP = True: its backward() takes a network of any depth, and the deeper cases are run), then
for each activation a and case i, as soon as it is done, WORKDIR/{a}-case{i}.npz (the gradients,
and the intermediates if it returned them) or WORKDIR/{a}-case{i}.error.txt (what went wrong), so
a case that never returns still leaves the ones before it graded.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from app.core.activations import ACTIVATION_NAMES
from app.core.mistakes.derivations import intermediate_names
from app.core.network import param_names

ACTIVATIONS = ACTIVATION_NAMES  # tanh, relu, sigmoid, linear


def takes_activation(backward) -> bool:
    """Whether backward() has a parameter `activation`: then it is graded with every activation."""
    try:
        return "activation" in inspect.signature(backward).parameters
    except (TypeError, ValueError):  # a builtin or a callable object without a signature
        return False


def load_student(path: Path):
    """The student's module; raises with a message fit to print when it cannot be used."""
    spec = importlib.util.spec_from_file_location("student_backprop", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # their own helper modules beside the file
    spec.loader.exec_module(module)
    if not callable(getattr(module, "backward", None)):
        raise ImportError(f"{path.name} defines no function backward(X, Y, params, lam)")
    if takes_activation(module.backward):
        return module, list(ACTIVATIONS)
    activation = getattr(module, "ACTIVATION", "tanh")
    if activation not in ACTIVATIONS:
        raise ImportError(
            f"ACTIVATION must be one of {', '.join(map(repr, ACTIVATIONS))}; got {activation!r}"
        )
    return module, [activation]


def as_gradients(result, L: int = 1) -> dict[str, np.ndarray]:
    """The four gradients out of what backward() returned, and the intermediates dz2, da1, dz1 it
    returned too; ValueError saying what is wrong."""
    if not isinstance(result, Mapping):
        raise ValueError(
            f'backward() returned {type(result).__name__}; it must return a dict {{"W1": dW1, "b1": db1, '
            '"W2": dW2, "b2": db2}'
        )
    grads = {}
    names = param_names(L)
    for name in names:
        value = result.get(name, result.get("d" + name))
        if value is None:
            raise ValueError(f"backward() returned no {name} (the keys are {', '.join(names)})")
        try:
            grads[name] = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"backward() returned a {name} that is not an array of numbers") from None
    for name in intermediate_names(L):
        if result.get(name) is not None:
            try:
                grads[name] = np.asarray(result[name], dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"backward() returned a {name} that is not an array of numbers") from None
    return grads


def main(student: str, workdir: str) -> int:
    work = Path(workdir)
    try:
        module, activations = load_student(Path(student))
    except BaseException as error:  # a syntax error, a failed import, a sys.exit at top level
        message = "".join(traceback.format_exception_only(type(error), error)).strip()
        (work / "load_error.txt").write_text(message)
        return 2
    deep = getattr(module, "DEEP", False) is True
    (work / "deep.txt").write_text("1" if deep else "0")
    (work / "activations.txt").write_text("\n".join(activations))
    with np.load(work / "cases.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    every = takes_activation(module.backward)
    for activation in activations:
        for i in range(int(arrays["count"])):
            L = int(arrays[f"{i}/L"])
            if L > 1 and not deep:
                continue
            inputs = [arrays[f"{i}/{key}"].copy() for key in ("X", "Y")]
            params = {name: arrays[f"{i}/{name}"].copy() for name in param_names(L)}
            lam = float(arrays[f"{i}/lam"])
            try:
                result = (
                    module.backward(*inputs, params, lam, activation=activation)
                    if every
                    else module.backward(*inputs, params, lam)
                )
                grads = as_gradients(result, L)
            except Exception as error:
                where = traceback.extract_tb(error.__traceback__)[-1]
                (work / f"{activation}-case{i}.error.txt").write_text(
                    f"{type(error).__name__}: {error} (line {where.lineno} of {Path(where.filename).name})"
                )
                continue
            np.savez(work / f"{activation}-case{i}.npz", **grads)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
