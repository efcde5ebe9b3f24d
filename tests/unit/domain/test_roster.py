"""Roster rules: every bad row reported with its line and reason."""
from __future__ import annotations

import pytest

from lms.domain.roster import check_row, check_rows


def row(**overrides):
    return {"full_name": "Nguyễn Thị Hồng Nhung", "identifier": "nhung.nth@example.vn", "commune": "Phường Ba Đình",
            "phone": "0912 345 678", **overrides}


@pytest.mark.parametrize("overrides, field, code", [
    ({"full_name": ""}, "full_name", "required"),
    ({"full_name": "x" * 201}, "full_name", "too_long"),
    ({"identifier": ""}, "identifier", "required"),
    ({"identifier": "abc@"}, "identifier", "bad_email"),
    ({"identifier": "Có Dấu"}, "identifier", "bad_username"),
    ({"identifier": "ab"}, "identifier", "bad_username"),
    ({"commune": "  "}, "commune", "required"),
    ({"phone": "goi em"}, "phone", "bad_phone"),
])
def test_each_rule_rejects_its_row(overrides, field, code):
    clean, errors = check_row(7, row(**overrides))
    assert clean is None
    assert [(e.line, e.field, e.code) for e in errors] == [(7, field, code)]


def test_a_good_row_is_cleaned():
    clean, errors = check_row(2, row(identifier="  NHUNG.NTH@Example.vn ", full_name=" Nguyễn   Thị Hồng  Nhung "))
    assert errors == []
    assert clean.identifier == "nhung.nth@example.vn" and clean.full_name == "Nguyễn Thị Hồng Nhung"
    assert clean.is_email


@pytest.mark.parametrize(("cell", "phone"), [
    (912345678, "0912345678"),  # a mobile number a spreadsheet kept as a number: its 0 comes back
    (912345678.0, "0912345678"),
    (2438251234, "02438251234"),  # a Hà Nội landline
    (845123456, "0845123456"),  # a VinaPhone 084 mobile: 84 here is not the country code
    (84912345678, "84912345678"),  # international: no 0 was lost
    ("0912 345 678", "0912 345 678"),  # typed as text: as typed
])
def test_a_phone_number_stored_as_a_number_gets_its_leading_zero_back(cell, phone):
    clean, errors = check_row(2, row(phone=cell))
    assert errors == [] and clean.phone == phone


def test_all_errors_are_listed_with_duplicates_pointing_at_the_first_line():
    rows, errors = check_rows([(2, row()), (3, row(full_name="")), (4, row()), (5, row(phone="x", commune=""))])
    assert [(e.line, e.code) for e in errors] == [(3, "required"), (4, "duplicate"), (5, "required"), (5, "bad_phone")]
    assert errors[1].params == {"first_line": 2}
    assert [r.line for r in rows] == [2]


def test_an_empty_file_is_an_error():
    assert [e.code for e in check_rows([])[1]] == ["empty"]
