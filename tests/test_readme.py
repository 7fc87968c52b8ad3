"""The README's Python example runs as printed."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_core_example_runs_and_prints_a_passing_check():
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    assert len(block.strip().splitlines()) <= 5
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    loss_text, _, errors_text = out.getvalue().partition(" ")
    assert 0 < float(loss_text) < 5
    errors = eval(errors_text, {"np": __import__("numpy")})
    assert set(errors) == {"W1", "b1", "W2", "b2"} and max(errors.values()) < 1e-6
