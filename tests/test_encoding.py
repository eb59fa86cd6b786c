import pytest
from hypothesis import given, strategies as st

from marsad.errors import BinaryInput, DecodingError, EmptyInput, MarsadError
from marsad.io.encoding import declared_charset, decode_bytes

TEXT = "نقل رئيس المخابرات العامة في مصر رسالة دعم وتأييد إلى قائد قوات شرق ليبيا، السبت."


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1256", "iso8859_6"])
def test_arabic_text_in_each_encoding_is_decoded(codec):
    assert decode_bytes(TEXT.encode(codec), "x.txt") == TEXT


def test_seed_in_windows_1256_is_decoded(seeds):
    original = (seeds / "004_d44edca8de48cbaa.txt").read_text(encoding="utf-8")
    assert decode_bytes(original.encode("cp1256"), "copy.txt") == original


def test_empty_file_is_an_error_naming_it():
    with pytest.raises(EmptyInput) as exc:
        decode_bytes(b"  \n", "empty.txt")
    assert str(exc.value) == "empty.txt: empty file; nothing to read; file skipped"


def test_binary_data_is_an_error_naming_the_file():
    with pytest.raises(BinaryInput) as exc:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt")
    assert str(exc.value).startswith("photo.txt: binary data")


def test_latin1_text_is_not_taken_for_arabic():
    with pytest.raises(DecodingError) as exc:
        decode_bytes("Ça coûte très cher, été à Genève".encode("latin-1"), "fr.txt")
    assert "convert it to UTF-8 first" in str(exc.value)


def test_meta_charset_is_read_from_html():
    assert declared_charset(b'<html><head><meta charset="windows-1256">') == "cp1256"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">') == "iso8859_6"


@given(st.binary(max_size=300))
def test_random_bytes_give_text_or_a_marsad_error(data):
    try:
        assert isinstance(decode_bytes(data, "random.bin"), str)
    except MarsadError as exc:
        assert "random.bin" in str(exc)


@pytest.mark.parametrize("declared", ["cp1256", "iso8859_6"])
def test_a_page_resaved_as_utf8_under_its_old_code_page_meta_is_read_as_utf8(declared):
    page = f'<meta charset="windows-1256"><p>{TEXT}</p>'.encode("utf-8")
    assert decode_bytes(page, "saved.html", declared) == page.decode("utf-8")


@pytest.mark.parametrize("codec", ["cp1256", "iso8859_6"])
def test_a_declared_arabic_code_page_is_still_honoured(codec):
    assert decode_bytes(TEXT.encode(codec), "old.html", codec) == TEXT


@given(st.binary(max_size=9000) | st.lists(st.sampled_from([b"\x01", b"\x1b", b"a", "\u0639".encode(), b"\n", b"\x7f"]),
                                          max_size=3000).map(b"".join))
def test_binary_check_counts_control_bytes_as_its_definition_says(data):
    from marsad.io.encoding import _CONTROL, looks_binary

    head = data[:8192]
    expected = b"\x00" in head or sum(1 for b in head if b in _CONTROL) > max(2, len(head) // 100)
    assert looks_binary(data) == expected
