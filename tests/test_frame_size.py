"""A deep run's frame over a real socket: at 6 x 64 hidden with G = 64 and every layer's weights
and gradients it fits in 128 KiB, and what the page decodes equals REST's float64 values to the
precision docs/protocol.md states (scaled float16 for the hidden-to-hidden matrices: relative
2**-11 down to 2**-29 of the array's largest entry); a one-layer frame is what it always was."""

from __future__ import annotations

import httpx
import numpy as np

from app.frames.encoding import SCALED16_TOP, decode_frame

from .test_stream import Watcher, new_session

DEEP_64 = {
    "hidden": [64] * 6,
    "dataset": {"kind": "spiral", "classes": 3, "n_samples": 200},
}
# sigmoid at init std 0.05, no L2: dW2's largest entry is 1.1e-7 (dW7's 4e-2), where plain float16's
# smallest step is 6e-8
VANISHING = {**DEEP_64, "activation": "sigmoid", "init_scale": 0.05, "lam": 0.0}
RELATIVE = 2.0**-11  # float16's 11 significant bits, rounded to nearest
FLOAT32_VS_FLOAT64 = 1e-5  # the live loop's float32 against REST's float64, of the array's largest


def frame_bytes_and_arrays(server, body):
    c = new_session(server, body)
    w = Watcher(server, c["id"])
    w.send({"type": "options", "grid": 64, "arrays_every": 1})
    while True:
        data = w.ws.recv(timeout=10)
        if isinstance(data, bytes):
            header, arrays = decode_frame(data)
            if header["grid"]["G"] == 64:
                break
            w.send({"type": "ack"})
    w.close()
    params = httpx.get(f"{server.url}/api/sessions/{c['id']}/parameters").json()["params"]
    grads = httpx.get(f"{server.url}/api/sessions/{c['id']}/gradients").json()["grads"]
    return len(data), header, arrays, params, grads


def assert_within_stated_precision(sent: np.ndarray, exact: np.ndarray, name: str):
    top = np.max(np.abs(exact))
    floor = top * 2.0 ** -(SCALED16_TOP + 14)  # below it float16's subnormals: fewer bits
    close = np.abs(sent - exact) <= RELATIVE * np.abs(exact) + FLOAT32_VS_FLOAT64 * top + floor
    assert close.all(), f"{name}: {np.abs(sent - exact)[~close][:5]} off"


def test_a_6x64_frame_with_every_layer_fits_128_kib_and_keeps_its_values(live_server):
    size, header, arrays, params, grads = frame_bytes_and_arrays(live_server, DEEP_64)
    assert size <= 128 * 1024, f"{size} bytes"
    dtypes = {spec["name"]: spec["dtype"] for spec in header["arrays"]}
    assert {dtypes[f"W{l}"] for l in range(2, 7)} == {"float16"}
    assert dtypes["W1"] == dtypes["W7"] == dtypes["b3"] == "float32"
    for name, exact in params.items():
        assert_within_stated_precision(arrays[name], np.array(exact["values"]), name)
    for name, exact in grads.items():
        assert_within_stated_precision(arrays[f"d{name}"], np.array(exact["values"]), f"d{name}")


def test_vanishing_gradients_stay_non_zero_and_right_to_three_digits(live_server):
    _, _, arrays, _, grads = frame_bytes_and_arrays(live_server, VANISHING)
    dW2 = np.array(grads["W2"]["values"])
    assert np.max(np.abs(dW2)) < 1e-6  # the case: float16 alone would keep few of these
    big = np.abs(dW2) > 1e-3 * np.max(np.abs(dW2))
    assert np.count_nonzero(arrays["dW2"][big]) == np.count_nonzero(big)
    rel = np.abs(arrays["dW2"][big] - dW2[big]) / np.abs(dW2[big])
    assert np.max(rel) < 2e-3, np.max(rel)  # 3 significant digits
    assert np.count_nonzero(dW2.astype(np.float16)[big]) < np.count_nonzero(big)  # plain float16 loses them


def test_a_one_layer_frame_is_float32_and_its_size_unchanged(live_server):
    size, header, arrays, params, grads = frame_bytes_and_arrays(live_server, {"hidden": 8})
    assert {spec["dtype"] for spec in header["arrays"]} == {"uint8", "float32"}
    assert all("exponent" not in spec for spec in header["arrays"])
    numbers = 2 * (2 * 8 + 8 + 8 * 2 + 2)  # W1, b1, W2, b2 and their gradients: moons, C = 2
    first = header["arrays"][0]["offset"]
    assert size == first + 64 * 64 * 2 + 4 * numbers
    for name, exact in params.items():
        np.testing.assert_allclose(arrays[name], np.array(exact["values"]), rtol=1e-6)


def test_scaled16_keeps_three_digits_from_exploding_to_vanishing_and_nan_and_inf_as_they_are():
    from app.frames.encoding import encode_frame, scaled16

    rng = np.random.default_rng(0)
    for top in (1e5, 1.0, 1e-7, 1e-30):
        x = (top * rng.standard_normal(500)).astype(np.float32)
        _, arrays = decode_frame(encode_frame({}, [("x", scaled16(x))]))
        big = np.abs(x) >= np.max(np.abs(x)) * 2.0**-29
        assert np.all(np.abs(arrays["x"] - x)[big] <= RELATIVE * np.abs(x[big])), top
    x = np.array([2e-7, np.nan, -np.inf, -0.0, 0.0, 5e-8], np.float32)
    _, arrays = decode_frame(encode_frame({}, [("x", scaled16(x))]))
    got = arrays["x"]
    assert np.isnan(got[1]) and got[2] == -np.inf and np.signbit(got[3]) and got[4] == 0
    np.testing.assert_allclose(got[[0, 5]], x[[0, 5]], rtol=RELATIVE)
