"""The local grader, run as a student runs it: python -m app.grade FILE, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Each test starts the grader and the student's code as processes (9 s for the module): slow.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
CASES = 8


def grade(student: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.grade", str(student), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def student_file(tmp_path):
    def write(source: str) -> Path:
        path = tmp_path / "my_backprop.py"
        path.write_text(textwrap.dedent(source))
        return path

    return write


def right_backward_with(change: str, replacement: str) -> str:
    source = (EXAMPLES / "backward_right.py").read_text()
    assert change in source
    return source.replace(change, replacement)


def test_the_right_example_passes_every_case():
    result = grade(EXAMPLES / "backward_right.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓") == CASES and "✗" not in result.stdout
    assert f"{CASES} of {CASES} cases pass" in result.stdout
    for label in ("C=2", "C=8", "soft labels", "one-hot", "lam=0 ", "lam=0.05", "1 sample"):
        assert label in result.stdout


def test_the_mistaken_example_is_named_and_fails():
    result = grade(EXAMPLES / "backward_forgot_mean.py")
    assert result.returncode == 1
    failed = [line for line in result.stdout.splitlines() if "✗" in line]
    # / N changes nothing for a single sample, so the batches alone fail
    assert len(failed) == CASES - 2
    assert all("summed_not_mean" in line for line in failed)
    assert "divide dz2 by N" in result.stdout


def test_an_unnamed_mistake_shows_the_first_wrong_entries(student_file):
    path = student_file(right_backward_with('"b2": dz2.sum(axis=0)', '"b2": 2 * dz2.sum(axis=0)'))
    result = grade(path)
    assert result.returncode == 1
    assert "db2[0] is" in result.stdout and "expected" in result.stdout


def test_a_file_that_loops_forever_is_stopped_at_the_time_limit(student_file):
    path = student_file(
        """
        def backward(X, Y, params, lam):
            while True:
                pass
        """
    )
    result = grade(path, "--timeout", "2")
    assert result.returncode == 1
    assert "stopped after 2 s: backward() did not return" in result.stdout
    assert "not run: an earlier case did not return" in result.stdout


def test_a_loop_at_import_is_a_file_it_cannot_load(student_file):
    path = student_file("while True:\n    pass\n")
    result = grade(path, "--timeout", "2")
    assert result.returncode == 2
    assert "did not finish within 2 s" in result.stderr


def test_a_crash_in_backward_is_a_failed_case(student_file):
    path = student_file(right_backward_with("N = X.shape[0]", "N = X.shape[0]\n    1 / 0"))
    result = grade(path)
    assert result.returncode == 1
    assert result.stdout.count("backward() raised ZeroDivisionError: division by zero (line") == CASES


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def backward(X, Y, params, lam)\n    return {}\n", "SyntaxError"),
        (
            "import numpy as np\n\ndef forward(X):\n    return X\n",
            "defines no function backward(X, Y, params, lam)",
        ),
        ("import not_a_module_anyone_has\n", "ModuleNotFoundError"),
        (
            'ACTIVATION = "softplus"\ndef backward(X, Y, params, lam):\n    return {}\n',
            "ACTIVATION must be one of",
        ),
    ],
)
def test_a_file_it_cannot_load_says_why_and_exits_2(student_file, source, message):
    result = grade(student_file(source))
    assert result.returncode == 2
    assert "Cannot load my_backprop.py" in result.stderr and message in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = grade(tmp_path / "nowhere.py")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_a_wrong_shape_is_said_in_words(student_file):
    path = student_file(right_backward_with('"W1": X.T @ dz1 + lam * W1', '"W1": dz1.T @ X + lam * W1.T'))
    result = grade(path)
    assert result.returncode == 1
    assert (
        "dW1 should be (2, H) = (2, 4): rows are the 2 inputs, columns the hidden units; "
        "you sent (4, 2): transposed?" in result.stdout
    )
    assert "transposed?" in result.stdout


def test_a_wrong_return_value_is_said_in_words(student_file):
    result = grade(student_file("def backward(X, Y, params, lam):\n    return [1, 2, 3, 4]\n"))
    assert result.returncode == 1
    assert "backward() returned list; it must return a dict" in result.stdout
    missing = grade(student_file("def backward(X, Y, params, lam):\n    return {'W1': 0}\n"))
    assert "backward() returned no b1" in missing.stdout


def test_the_activation_the_file_names_is_the_one_graded(student_file):
    relu = right_backward_with('ACTIVATION = "tanh"', 'ACTIVATION = "relu"')
    relu = relu.replace("a1 = np.tanh(X @ W1 + b1)", "z1 = X @ W1 + b1\n    a1 = np.maximum(z1, 0)")
    relu = relu.replace("(1 - a1**2)", "(z1 > 0)")
    result = grade(student_file(relu))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "backward(X, Y, params, lam), activation relu only (its ACTIVATION)" in result.stdout


EVERY_ACTIVATION = """
import numpy as np

F = {
    "tanh": (np.tanh, lambda z, a: 1 - a**2),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0) * 1.0),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def backward(X, Y, params, lam, activation):
    f, df = F[activation]
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = X @ W1 + b1
    a1 = f(z1)
    z2 = a1 @ W2 + b2
    y_hat = np.exp(z2 - z2.max(axis=1, keepdims=True))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    dz2 = (y_hat - Y) / X.shape[0]
    da1 = dz2 @ W2.T
    dz1 = da1 * df(z1, a1)
    return {
        "W1": X.T @ dz1 + lam * W1,
        "b1": dz1.sum(axis=0),
        "W2": a1.T @ dz2 + lam * W2,
        "b2": dz2.sum(axis=0),
        "dz2": dz2,
        "da1": da1,
        "dz1": dz1,
    }
"""


def test_a_backward_that_takes_the_activation_is_graded_with_every_one(student_file):
    result = grade(student_file(EVERY_ACTIVATION))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "backward(X, Y, params, lam, activation), with every activation (tanh, relu, sigmoid, linear)" in (
        result.stdout
    )
    assert f"{4 * CASES} of {4 * CASES} cases pass" in result.stdout
    for activation in ("tanh:", "relu:", "sigmoid:", "linear:"):
        assert activation in result.stdout
    # the relu one written with tanh's derivative: wrong under relu and only there, and said where
    wrong = EVERY_ACTIVATION.replace("lambda z, a: (z > 0) * 1.0", "lambda z, a: 1 - a**2")
    result = grade(student_file(wrong))
    assert result.returncode == 1
    relu = result.stdout.split("relu:")[1].split("sigmoid:")[0]
    assert relu.count("✗") == CASES and "✗" not in result.stdout.split("relu:")[0]
    assert (
        "dz2 is right, da1 is right, dz1 is wrong: look at f'(z1) — dz1 = da1 * (1 if z1 > 0 else 0)" in relu
    )


def test_the_two_mistakes_example_names_both_and_where_they_start():
    result = grade(EXAMPLES / "backward_two_mistakes.py")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "with every activation" in lines[0]
    verdicts = [line for line in lines if "✗" in line or "✓" in line]
    assert len(verdicts) == 4 * CASES
    # a linear f makes dz1 = da1 right; with lam = 0 too the case passes
    assert sum("✓" in line for line in verdicts) == 3
    assert result.stdout.count("double_regularisation in dW1, dW2") == 4 * 5  # every case with lam > 0
    assert result.stdout.count("missing_activation_derivative in dW1, db1, dz1") == 3 * CASES
    assert (
        "dz2 is right, da1 is right, dz1 is wrong: look at f'(z1) — dz1 = da1 * (1 - a1**2)" in result.stdout
    )
    assert "dz1 is right; dW1 is wrong: the mistake is in its last line — dW1 = X.T @ dz1 + lam * W1" in (
        result.stdout
    )


def test_help_documents_the_signature():
    result = subprocess.run(
        [sys.executable, "-m", "app.grade", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    for text in ("def backward(X, Y, params, lam)", "(N, 2)", '"W1": (2, H)', "ACTIVATION", "--timeout"):
        assert text in result.stdout


def test_a_file_that_exits_mid_battery_keeps_the_cases_before_it(student_file):
    path = student_file(
        """
        import sys

        calls = 0


        def backward(X, Y, params, lam):
            global calls
            calls += 1
            if calls == 3:
                sys.exit(5)
            return {name: value * 0 for name, value in params.items()}
        """
    )
    result = grade(path)
    assert result.returncode == 1
    assert result.stdout.count("entries that differ: dW1") == 2
    assert result.stdout.count("no answer: the process ended with status 5 before this case") == CASES - 2


DEEP_CASES = 3


def test_a_loop_written_for_any_depth_is_graded_on_the_deeper_cases_too():
    result = grade(EXAMPLES / "backward_deep.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "one to three hidden layers (DEEP)" in result.stdout
    total = CASES + DEEP_CASES
    assert result.stdout.count("✓") == total and f"{total} of {total} cases pass" in result.stdout
    assert "H=5-4" in result.stdout and "H=4-5-3" in result.stdout


def test_a_loop_mistake_is_named_in_every_layer_of_a_deeper_case(student_file):
    source = (EXAMPLES / "backward_deep.py").read_text()
    path = student_file(source.replace(" * (1 - a[l - 1] ** 2)  # BP2", "  # f' left out"))
    result = grade(path)
    assert result.returncode == 1
    deep = next(line for line in result.stdout.splitlines() if "H=4-5-3" in line)
    assert "✗ missing_activation_derivative in dW1, db1, dW2, db2, dW3, db3" in deep
    assert (
        "dz4 is right, da3 is right, dz3 is wrong: look at f'(z3) — dz3 = da3 * (1 - a3**2)" in result.stdout
    )
