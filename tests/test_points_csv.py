"""A class's own data as CSV: what a spreadsheet writes is read, anything else is refused with its
line number and the reason, hostile input included."""

from __future__ import annotations

import pytest

from app.training.limits import RunLimits
from app.training.points_csv import MAX_ERRORS, CsvRefused, parse_points_csv

LIMITS = RunLimits(max_points=50)


def refused(text: str, limits: RunLimits = LIMITS) -> list[str]:
    with pytest.raises(CsvRefused) as e:
        parse_points_csv(text, limits)
    return e.value.errors


def test_plain_rows_with_and_without_a_header_give_the_same_points():
    plain = parse_points_csv("0.5,1,0\n-2,3e-1,1\n", LIMITS)
    headed = parse_points_csv("x,y,label\n0.5,1,0\n-2,3e-1,1", LIMITS)
    assert [(p.x, p.y, p.label) for p in plain.points] == [(0.5, 1.0, 0), (-2.0, 0.3, 1)]
    assert headed.points == plain.points and headed.header and not plain.header
    assert plain.classes == 2


def test_what_a_spreadsheet_writes_is_read_bom_crlf_quotes_spaces_blank_lines():
    text = '\ufeff"x","y","class"\r\n "1.5" , -2 ,"1.0"\r\n\r\n3,4,0\r5,6,2\r\n'
    parsed = parse_points_csv(text, LIMITS)
    assert [(p.x, p.y, p.label) for p in parsed.points] == [(1.5, -2.0, 1), (3.0, 4.0, 0), (5.0, 6.0, 2)]
    assert parsed.header and parsed.classes == 3


@pytest.mark.parametrize(
    "row, reason",
    [
        ("abc,1,0", "line 2: x 'abc' is not a number"),
        ("1,,0", "line 2: y is empty"),
        ("1,2", "line 2: 2 columns, expected 3 (x, y, label)"),
        ("1,2,0,4", "line 2: 4 columns, expected 3"),
        ("nan,1,0", "line 2: x 'nan' is not a finite number"),
        ("1,-Infinity,0", "line 2: y '-Infinity' is not a finite number"),
        ("1e999,1,0", "line 2: x '1e999' is out of range"),
        ("2000000,1,0", "line 2: x '2000000' is out of range"),
        ("1_000,1,0", "line 2: x '1_000' is not a number"),
        ("١٢,1,0", "line 2: x '١٢' is not a number"),
        ("1,2,red", "line 2: label 'red' is not a number"),
        ("1,2,9", "line 2: label '9' is not a class (a whole number from 0 to 7)"),
        ("1,2,0.5", "line 2: label '0.5' is not a class"),
        ("1,2,-1", "line 2: label '-1' is not a class"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_reason(row, reason):
    errors = refused(f"0,0,1\n{row}\n3,3,0\n")
    assert len(errors) == 1 and errors[0].startswith(reason), errors


def test_a_huge_line_is_refused_without_reading_it_whole():
    errors = refused("0,0,0\n" + "1" * 1_000_000 + ",1,1\n1,1,1\n")
    assert errors == ["line 2: longer than 200 characters; a row is x, y, label"]


def test_at_most_twenty_errors_are_listed_and_the_rest_counted():
    with pytest.raises(CsvRefused) as e:
        parse_points_csv("0,0,0\n0,0,1\n" + "bad\n" * 45, LIMITS)
    assert len(e.value.errors) == MAX_ERRORS and e.value.more == 25
    assert e.value.errors[0] == "line 3: 1 columns, expected 3 (x, y, label)"


def test_more_rows_than_the_server_allows_is_said_once():
    errors = refused("".join(f"{i},{i},{i % 2}\n" for i in range(51)))
    assert errors == ["too many rows: this server allows at most 50 points, got 51"]


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\r\n  \n", "x,y,label\n"])
def test_no_rows_is_refused(text):
    assert refused(text) == ["no rows: write one point a line, x, y, label (a header line is optional)"]


def test_one_class_only_is_refused():
    assert refused("0,0,1\n1,1,1\n") == [
        "every point has label 1: a classifier needs points of two classes at least"
    ]


def test_only_the_first_line_may_be_a_header():
    assert refused("0,0,0\nx,y,label\n1,1,1\n") == ["line 2: x 'x' is not a number"]


# ---- over REST --------------------------------------------------------------------------------


def test_csv_over_rest_gives_points_a_session_trains_on(client):
    reply = client.post("/api/datasets/csv", json={"csv": "x,y,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["classes"] == 2 and body["header"] is True and len(body["points"]) == 4
    dataset = {"kind": "points", "points": body["points"], "classes": body["classes"]}
    created = client.post("/api/sessions", json={"dataset": dataset})
    assert created.status_code == 201, created.text


def test_bad_rows_over_rest_are_a_422_naming_each_line(client):
    reply = client.post("/api/datasets/csv", json={"csv": "0,0,0\n1,x,1\n" + "1,2\n" * 30})
    assert reply.status_code == 422
    body = reply.json()
    first = {"loc": ["body", "csv"], "msg": "line 2: y 'x' is not a number", "type": "csv"}
    assert body["detail"][0] == first
    assert len(body["detail"]) == 20 and body["more_errors"] == 11


def test_the_server_limit_on_points_applies_to_csv(tmp_path):
    from fastapi.testclient import TestClient

    from app.api.settings import Settings
    from app.main import create_app

    from .conftest import LOCAL

    with TestClient(create_app(Settings(max_points=10, data_dir=str(tmp_path))), base_url=LOCAL) as c:
        reply = c.post("/api/datasets/csv", json={"csv": "".join(f"{i},0,{i % 2}\n" for i in range(11))})
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["msg"] == "too many rows: this server allows at most 10 points, got 11"


def test_csv_must_be_sent_as_json_text(client):
    assert client.post("/api/datasets/csv", json={"csv": 5}).status_code == 422
    assert client.post("/api/datasets/csv", json={}).status_code == 422
    as_text = {"content-type": "text/csv"}
    assert client.post("/api/datasets/csv", content="0,0,0", headers=as_text).status_code == 415
