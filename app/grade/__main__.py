"""python -m app.grade STUDENT.py: the table case -> verdict (see app/grade/__init__.py)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import app

from . import __doc__ as GRADER_DOC
from .battery import Case, battery, deep_battery
from .verdict import verdict

PROJECT_ROOT = Path(app.__file__).resolve().parent.parent
EXIT_FAILED, EXIT_CANNOT_LOAD = 1, 2


def save_cases(cases: list[Case], path: Path) -> None:
    arrays = {"count": np.array(len(cases))}
    for i, case in enumerate(cases):
        arrays |= {
            f"{i}/X": case.X,
            f"{i}/Y": case.Y,
            f"{i}/lam": np.array(case.lam),
            f"{i}/L": np.array(case.L),
        }
        arrays |= {f"{i}/{name}": value for name, value in case.params.items()}
    np.savez(path, **arrays)


def run_student(student: Path, work: Path, timeout: float) -> tuple[bool, int | None, str]:
    """Run the student's file on the saved cases: (timed out, exit status, its stderr's tail)."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, "-m", "app.grade.student_process", str(student), str(work)]
    # its own session, so a timeout ends whatever it started too
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
        return False, process.returncode, stderr[-2000:]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
        return True, None, stderr[-2000:]


def case_lines(
    case: Case, stem: str, work: Path, activation: str, missing: str
) -> tuple[bool, list[str], dict[str, str]]:
    error = work / f"{stem}.error.txt"
    if error.exists():
        return False, [f"backward() raised {error.read_text()}"], {}
    result = work / f"{stem}.npz"
    if not result.exists():
        return False, missing.splitlines(), {}
    with np.load(result, allow_pickle=False) as data:
        grads = {name: data[name] for name in data.files}
    return verdict(case, grads, activation)


def header(student: Path, activations: list[str], deep: bool = False) -> str:
    depth = ", one to three hidden layers (DEEP)" if deep else ""
    if len(activations) > 1:
        return (
            f"Grading {student.name}: backward(X, Y, params, lam, activation), "
            f"with every activation ({', '.join(activations)}){depth}"
        )
    only = f"activation {activations[0]} only (its ACTIVATION)"
    return f"Grading {student.name}: backward(X, Y, params, lam), {only}{depth}"


def grade(student: Path, timeout: float) -> int:
    if not student.is_file():
        print(f"Cannot load {student}: no such file", file=sys.stderr)
        return EXIT_CANNOT_LOAD
    cases = battery() + deep_battery()
    with tempfile.TemporaryDirectory(prefix="bpv-grade-") as workdir:
        work = Path(workdir)
        save_cases(cases, work / "cases.npz")
        timed_out, status, stderr = run_student(student.resolve(), work, timeout)
        if (work / "load_error.txt").exists() or not (work / "activations.txt").exists():
            if (work / "load_error.txt").exists():
                reason = (work / "load_error.txt").read_text()
            elif timed_out:
                reason = f"importing it did not finish within {timeout:g} s (an endless loop at top level?)"
            else:
                reason = f"the process ended with status {status} before the file was loaded\n{stderr}"
            print(f"Cannot load {student.name}: {reason}", file=sys.stderr)
            return EXIT_CANNOT_LOAD
        activations = (work / "activations.txt").read_text().split()
        deep = (work / "deep.txt").read_text() == "1"
        graded = [(i, case) for i, case in enumerate(cases) if deep or case.L == 1]
        if timed_out:
            missing = f"stopped after {timeout:g} s: backward() did not return (an endless loop?)"
        else:
            missing = f"no answer: the process ended with status {status} before this case\n{stderr.strip()}"
        print(header(student, activations, deep) + "\n")
        passed, explanations, row = 0, {}, 0
        for activation in activations:
            if len(activations) > 1:
                print(f"{activation}:")
            for i, case in graded:
                stem = f"{activation}-case{i}"
                ok, lines, named = case_lines(case, stem, work, activation, missing)
                explanations |= named
                answered = (work / f"{stem}.npz").exists() or (work / f"{stem}.error.txt").exists()
                if timed_out and not answered:
                    missing = "not run: an earlier case did not return"
                passed += ok
                row += 1
                print(f"{row:>2}  {case.name:<40} {'✓' if ok else '✗'} {lines[0] if lines else ''}".rstrip())
                for line in lines[1:]:
                    print(f"{'':<45}{line}")
    total = len(graded) * len(activations)
    print(f"\n{passed} of {total} cases pass")
    for name, explanation in explanations.items():
        print(f"\n{name}: {explanation}")
    return 0 if passed == total else EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.grade",
        description=GRADER_DOC,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "student", type=Path, help="the .py file that defines backward(X, Y, params, lam[, activation])"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds the whole battery may take (10)")
    args = parser.parse_args(argv)
    return grade(args.student, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
