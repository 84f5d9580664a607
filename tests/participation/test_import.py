"""Import of offline opinions: reading files safely, row errors, idempotence, the service."""

import datetime
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from participation import imports
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus, Opinion
from stages.models import Stage
from tests.accounts.factories import moderator
from tests.participation.factories import EventFactory

DATA = Path(__file__).parent / "data_files"
HEADER = "text,area,district,channel,place,collected_on"


@pytest.fixture(autouse=True)
def english():
    """Messages are checked against their English msgids, whatever the Polish translation says."""
    with translation.override("en"):
        yield


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def import_file(path, *, publish=False, actor=None):
    return imports.opinions_import(actor=actor or moderator(), path=path, name=path.name, publish=publish)


def test_only_staff_who_may_import_can_import(reference_data):
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import UserFactory

    for outsider in (None, UserFactory()):
        with pytest.raises(PermissionDenied):
            imports.opinions_import(actor=outsider, path=DATA / "good.csv", name="good.csv", publish=True)
    assert not Opinion.objects.exists()


# --- good files ----------------------------------------------------------------------------


def test_good_csv_imports_every_row_without_author(reference_data):
    actor = moderator()
    result = import_file(DATA / "good.csv", actor=actor)

    assert (result.created, result.skipped) == (3, 0)
    opinions = {o.external_id or o.text[:5]: o for o in Opinion.objects.select_related("area", "channel", "district")}
    first = opinions["PM-2020-0001"]
    assert first.area.slug == "dobre-sasiedztwo"
    assert first.district.name == "Zemborzyce"
    assert first.channel.code == "punkt-mobilny"
    assert first.place == "Plaża nad Zalewem"
    assert first.collected_on == datetime.date(2020, 6, 15)
    assert first.age_bracket == "25-34"
    assert first.author is None
    assert first.status == ModerationStatus.PENDING
    assert first.published_at is None
    assert first.stage.number == 2  # June 2020 falls in stage II
    assert first.import_fingerprint is None  # rows with an external id are known by it
    # Lower case, slug-like channel and no diacritics still match.
    third = opinions["Remon"]
    assert third.area.slug == "edukacja"
    assert third.district.name == "Czechów Północny"
    assert third.import_fingerprint
    assert len(third.import_fingerprint) == 64
    # One import entry per opinion, naming the file.
    entries = ModerationLogEntry.objects.filter(
        action=ModerationAction.IMPORT, content_type=ContentType.objects.get_for_model(Opinion)
    )
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(o.pk for o in opinions.values())
    assert all(entry.actor == actor and "good.csv" in entry.reason for entry in entries)


def test_publish_on_import(reference_data):
    actor = moderator()
    import_file(DATA / "good.csv", publish=True, actor=actor)
    assert set(Opinion.objects.values_list("status", flat=True)) == {ModerationStatus.PUBLISHED}
    assert not Opinion.objects.filter(published_at__isnull=True).exists()
    assert set(Opinion.objects.values_list("moderated_by", flat=True)) == {actor.pk}


def test_polish_excel_csv_windows_1250_semicolons_polish_headers(reference_data):
    table = imports.read_table(DATA / "polish_excel_cp1250.csv")
    assert (table.encoding, table.delimiter) == ("cp1250", ";")

    preview = imports.validate(table)

    assert preview.ok, preview.errors
    rows = preview.to_create
    assert [row["collected_on"] for row in rows] == [
        datetime.date(2020, 6, 15),
        datetime.date(2020, 7, 3),
        datetime.date(2020, 10, 1),
    ]
    assert rows[0]["text"].startswith("Ścieżki rowerowe")
    assert rows[0]["area"].slug == "dobre-sasiedztwo"  # "DOBRE SĄSIEDZTWO"
    assert rows[1]["channel"].code == "spotkanie-dzielnicowe"
    assert rows[2]["text"] == "Więcej wydarzeń kulturalnych na Starym Mieście; także zimą"
    assert rows[2]["age_bracket"] == "65-plus"  # "65+"


def test_utf8_with_bom_and_headers_with_diacritics(reference_data, tmp_path):
    content = "\ufefftreść;obszar;dzielnica;kanał;miejsce;data\nOpinia o zieleni w parku Ludowym;Edukacja;Cały Lublin;E-mail;;2020-02-02\n"
    preview = imports.preview_file(write(tmp_path, "bom.csv", content))
    assert preview.ok, (preview.file_errors, preview.errors)
    assert preview.encoding == "utf-8-sig"
    assert preview.to_create[0]["district"].is_whole_city


def test_xlsx_with_real_dates_imports(reference_data, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Treść", "Obszar", "Dzielnica", "Kanał", "Miejsce", "Data", "external_id"])
    sheet.append(
        [
            "Nowe linie autobusowe na Felin",
            "Edukacja",
            "Felin",
            "Punkt mobilny",
            "Pętla",
            datetime.datetime(2020, 5, 4),
            17,
        ]
    )
    sheet.append([])  # an empty row, as Excel leaves them
    path = tmp_path / "opinie.xlsx"
    workbook.save(path)

    result = import_file(path)

    opinion = Opinion.objects.get()
    assert result.created == 1
    assert opinion.collected_on == datetime.date(2020, 5, 4)
    assert opinion.external_id == "17"


def test_event_by_title_fills_district_channel_and_place(reference_data, tmp_path):
    event = EventFactory(title="Kafejka o zieleni")
    content = "text,area,district,channel,place,collected_on,event\nDrzewa zamiast parkingów w centrum,Edukacja,,,,2020-03-03,kafejka o ZIELENI\n"
    preview = imports.preview_file(write(tmp_path, "event.csv", content))
    assert preview.ok, preview.errors
    row = preview.to_create[0]
    assert (row["event"], row["district"], row["channel"], row["place"]) == (
        event,
        event.district,
        event.channel,
        event.place,
    )


def test_date_outside_every_stage_goes_to_the_opinions_stage(reference_data, tmp_path):
    content = f"{HEADER}\nOpinia zapisana dawno temu na papierze,Edukacja,Felin,E-mail,,2015-01-01\n"
    preview = imports.preview_file(write(tmp_path, "old.csv", content))
    assert preview.to_create[0]["stage"] == Stage.objects.get(number=2)


# --- errors -------------------------------------------------------------------------------


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_imported(reference_data):
    preview = imports.preview_file(DATA / "broken_rows.csv")

    found = {(error.row, error.column) for error in preview.errors}
    assert found == {
        (2, "text"),
        (3, "area"),
        (4, "collected_on"),
        (5, "district"),
        (5, "channel"),  # the online form is not an offline channel
    }
    assert preview.rows_with_errors == 4
    assert preview.create_count == 1  # the good row would be created, but only with the others
    message = next(e.message for e in preview.errors if e.column == "area")
    assert "Akademickość" in message  # says which areas exist
    with pytest.raises(imports.ImportRejected):
        import_file(DATA / "broken_rows.csv")
    assert not Opinion.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_errors_name_the_users_own_column_header(reference_data, tmp_path):
    content = "treść;obszar;dzielnica;kanał;miejsce;data\nZa mało;Edukacja;Felin;E-mail;;2020-01-01\n"
    preview = imports.preview_file(write(tmp_path, "pl.csv", content))
    assert [(error.row, error.column) for error in preview.errors] == [(2, "treść")]


def test_missing_required_column_is_a_file_error(reference_data, tmp_path):
    preview = imports.preview_file(write(tmp_path, "cols.csv", "text,area\nJakaś opinia o mieście,Edukacja\n"))
    assert not preview.ok
    assert "district" in preview.file_errors[0]


def test_future_date_and_duplicate_external_id(reference_data, tmp_path):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    content = (
        f"{HEADER},external_id\n"
        f"Opinia z przyszłości o parkach,Edukacja,Felin,E-mail,,{future},A1\n"
        "Druga opinia o parkach w mieście,Edukacja,Felin,E-mail,,2020-01-01,A2\n"
        "Trzecia opinia o parkach w mieście,Edukacja,Felin,E-mail,,2020-01-01,A2\n"
    )
    preview = imports.preview_file(write(tmp_path, "dup.csv", content))
    assert {(error.row, error.column) for error in preview.errors} == {(2, "collected_on"), (4, "external_id")}


# --- idempotence --------------------------------------------------------------------------


def test_importing_the_same_file_twice_creates_nothing_new(reference_data):
    first = import_file(DATA / "good.csv")
    second_preview = imports.preview_file(DATA / "good.csv")
    second = import_file(DATA / "good.csv")

    assert first.created == 3
    assert (second_preview.create_count, second_preview.skipped) == (0, 3)
    assert (second.created, second.skipped) == (0, 3)
    assert Opinion.objects.count() == 3


def test_identical_rows_in_one_file_are_both_kept_and_both_skipped_next_time(reference_data, tmp_path):
    line = "Więcej koszy na śmieci przy ławkach,Edukacja,Felin,E-mail,,2020-01-01"
    path = write(tmp_path, "twice.csv", f"{HEADER}\n{line}\n{line}\n")
    assert import_file(path).created == 2
    assert (import_file(path).created, imports.preview_file(path).skipped) == (0, 2)
    # A later file with one more identical row adds only that one.
    path = write(tmp_path, "thrice.csv", f"{HEADER}\n{line}\n{line}\n{line}\n")
    assert import_file(path).created == 1


# --- files refused ------------------------------------------------------------------------


def test_oversize_file_is_refused(reference_data, tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER.encode() + b"\n")
        handle.truncate(imports.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(path)
    assert error.value.code == "too_large"
    assert "10 MB" in error.value.messages[0]


def test_too_many_rows_is_refused(reference_data, tmp_path):
    line = "Opinia o mieście i jego przyszłości,Edukacja,Felin,E-mail,,2020-01-01\n"
    path = write(tmp_path, "rows.csv", HEADER + "\n" + line * (imports.MAX_ROWS + 1))
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(path)
    assert error.value.code == "too_many_rows"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        pytest.param("text,area\nZażółć gęślą jaźń".encode("utf-16-le"), "auto", id="utf-16-without-bom"),
        pytest.param(bytes(range(256)) * 20, "auto", id="binary"),
        pytest.param("treść;obszar\nŻółć".encode("cp1250"), "utf-8", id="cp1250-read-as-utf-8"),
        pytest.param(b"%PDF-1.7\n\x81\x8d\x8f\x90\x9d binary", "auto", id="pdf"),
    ],
)
def test_wrong_encodings_are_refused_with_a_message(reference_data, tmp_path, content, encoding):
    preview = imports.preview_file(write(tmp_path, "x.csv", content), encoding=encoding)
    assert not preview.ok
    assert preview.file_errors
    assert "UTF-8" in preview.file_errors[0]


def test_old_xls_is_refused(tmp_path):
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    assert error.value.code == "xls"


def _workbook_bytes(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["Opinia o parku Saskim", "Edukacja", "Felin", "E-mail", "", "2020-01-01"])
    path = tmp_path / "base.xlsx"
    workbook.save(path)
    return path


def _rewrite_xlsx(source, target, replace):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for item in original.infolist():
            data = original.read(item.filename)
            data = replace.get(item.filename, lambda data: data)(data)
            rewritten.writestr(item.filename, data)
    return target


def test_xlsx_bomb_is_refused_before_any_xml_is_parsed(reference_data, tmp_path, monkeypatch):
    # 60 MB of one repeated byte packs into ~60 KB: a ratio near 1000.
    padding = b" " * (60 * 1024 * 1024)
    path = _rewrite_xlsx(
        _workbook_bytes(tmp_path),
        tmp_path / "bomb.xlsx",
        {"xl/worksheets/sheet1.xml": lambda data: data.replace(b"<sheetData>", b"<sheetData>" + padding)},
    )
    assert path.stat().st_size < imports.MAX_UPLOAD_BYTES

    def never(*args, **kwargs):
        raise AssertionError("no XML of a zip bomb may be parsed")

    monkeypatch.setattr(imports.reading, "XlsxReader", never)
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(path)
    assert error.value.code == "unsafe_xlsx"


def test_xlsx_whose_parts_expand_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(imports.reading, "XLSX_MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(imports.ImportFileError) as error:
        imports.reading.check_xlsx_safety(_workbook_bytes(tmp_path))
    assert error.value.code == "unsafe_xlsx"


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_xlsx_with_doctype_or_entity_is_refused(reference_data, tmp_path, part):
    doctype = b'<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'

    def inject(data):
        head, _, rest = data.partition(b"?>")
        return head + b"?>" + doctype + rest

    path = _rewrite_xlsx(_workbook_bytes(tmp_path), tmp_path / "entity.xlsx", {part: inject})
    preview = imports.preview_file(path)
    assert not preview.ok
    assert "cannot be imported safely" in preview.file_errors[0]


def test_file_named_xlsx_that_is_not_a_workbook(tmp_path):
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(write(tmp_path, "fake.xlsx", "text,area\n"))
    assert error.value.code == "not_xlsx"


def test_broken_zip_is_refused(tmp_path):
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(write(tmp_path, "broken.xlsx", b"PK\x03\x04" + b"\x00" * 200))
    assert error.value.code == "bad_zip"


# --- scale ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_thousands_of_rows_take_a_handful_of_queries(reference_data, tmp_path, django_assert_num_queries):
    staff = moderator()
    buffer = io.StringIO()
    buffer.write(HEADER + ",external_id\n")
    for number in range(5000):
        buffer.write(f"Opinia numer {number} o zieleni i transporcie,Edukacja,Felin,E-mail,,2020-01-01,X{number}\n")
    path = write(tmp_path, "many.csv", buffer.getvalue())
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    ContentType.objects.get_for_model(Opinion)  # cached for the life of the process
    # the actor's roles, the reference data (7 reads), the rows imported before, 3 INSERTs of 2,000
    # opinions, the log: one INSERT … SELECT unnest() on PostgreSQL, 3 batches elsewhere; then on
    # PostgreSQL one ANALYZE of the tables it filled
    expected = 17 if connection.vendor == "postgresql" else 18
    with django_assert_num_queries(expected):
        result = import_file(path, actor=staff)
    assert result.created == 5000
    assert Opinion.objects.count() == 5000
    assert ModerationLogEntry.objects.count() == 5000


def test_xlsx_with_a_forged_huge_dimension_reads_only_its_real_cells(reference_data, tmp_path):
    path = _rewrite_xlsx(
        _workbook_bytes(tmp_path),
        tmp_path / "dimension.xlsx",
        {
            "xl/worksheets/sheet1.xml": lambda data: data.replace(
                b'<dimension ref="A1:F2" />', b'<dimension ref="A1:XFD1048576" />'
            )
        },
    )
    with zipfile.ZipFile(path) as archive:
        assert b"XFD1048576" in archive.read("xl/worksheets/sheet1.xml")
    table = imports.read_table(path)
    assert len(table.rows) == 1
    assert len(table.rows[0][1]) <= imports.formats.MAX_COLUMNS
    assert imports.validate(table).ok


EXCEL_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    # Prefixed elements, a hidden first sheet order, shared strings with rich runs and phonetics.
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><x:workbook '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets>'
    '<x:sheet name="Opinie" sheetId="7" r:id="rId3"/><x:sheet name="Inne" sheetId="1" r:id="rId1"/>'
    "</x:sheets></x:workbook>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId3" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
    "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>Treść</t></si><si><t>Obszar</t></si><si><t>Dzielnica</t></si><si><t>Kanał</t></si>"
    "<si><t>Miejsce</t></si><si><t>Data</t></si><si><t>Wiek</t></si>"
    "<si><r><t>Więcej ławek </t></r><r><rPr><b/></rPr><t>na Starym Mieście</t></r><rPh><t>x</t></rPh></si>"
    "<si><t>Edukacja</t></si><si><t>Stare Miasto</t></si><si><t>Kafejka Partycypacyjna</t></si></sst>",
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="170" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="170"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
    "xl/worksheets/sheet2.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
    "<sheetData>"
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c>'
    '<c r="G1" t="s"><v>6</v></c></row>'
    '<row r="4"><c r="A4" t="s"><v>7</v></c><c r="B4" t="str"><f>"Edu"&amp;"kacja"</f><v>Edukacja</v></c>'
    '<c r="C4" t="s"><v>9</v></c><c r="D4" t="s"><v>10</v></c><c r="E4" t="inlineStr"><is><t>Rynek</t></is></c>'
    '<c r="F4" s="1"><v>43831</v></c><c r="G4"><v>65</v></c><c r="XFD4"><v>1</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><t>Ścieżka rowerowa na Czechów</t></is></c>'
    '<c r="B5" t="s"><v>8</v></c><c r="C5" t="s"><v>9</v></c><c r="D5" t="s"><v>10</v></c>'
    '<c r="F5" s="2"><v>43862.5</v></c><c r="H5" t="b"><v>1</v></c></row>'
    "</sheetData></worksheet>",
}


def _excel_like(tmp_path, parts=EXCEL_PARTS):
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def test_excel_workbook_with_shared_strings_dates_and_formulas(reference_data, tmp_path):
    table = imports.read_table(_excel_like(tmp_path))
    assert table.header == ["Treść", "Obszar", "Dzielnica", "Kanał", "Miejsce", "Data", "Wiek"]
    (first_number, first), (second_number, second) = table.rows
    assert (first_number, second_number) == (4, 5)  # spreadsheet row numbers, blank rows skipped
    assert first[:6] == [
        "Więcej ławek na Starym Mieście",
        "Edukacja",
        "Stare Miasto",
        "Kafejka Partycypacyjna",
        "Rynek",
        datetime.datetime(2020, 1, 1),
    ]
    assert first[6] == 65
    assert len(first) <= imports.formats.MAX_COLUMNS  # the cell in column XFD is ignored
    assert second[5] == datetime.datetime(2020, 2, 1, 12, 0)
    assert second[7] is True
    preview = imports.validate(table)
    assert [error.column for error in preview.errors] == ["Wiek"]  # 65 is not an age bracket


def test_workbook_without_a_sheet_is_refused(tmp_path):
    parts = dict(EXCEL_PARTS)
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(_excel_like(tmp_path, parts))
    assert error.value.code == "no_sheet"


def test_broken_xml_in_a_workbook_is_a_message(tmp_path):
    parts = dict(EXCEL_PARTS)
    parts["xl/worksheets/sheet2.xml"] = "<worksheet><sheetData><row><c>"
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(_excel_like(tmp_path, parts))
    assert error.value.code == "bad_xlsx"


def test_text_is_stored_as_the_online_form_stores_it(reference_data, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Więcej zieleni")
    content = f'{HEADER}\n"{decomposed}\r\nna Żmigrodzie",Edukacja,Felin,E-mail,,2020-01-01\n'
    preview = imports.preview_file(write(tmp_path, "nfd.csv", content))
    assert preview.to_create[0]["text"] == "Więcej zieleni\nna Żmigrodzie"


def test_workbook_with_corrupt_compressed_data_is_a_message(tmp_path):
    source = _workbook_bytes(tmp_path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        offset = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    broken = bytearray(source)
    for index in range(offset, offset + sheet.compress_size):
        broken[index] ^= 0x5A
    with pytest.raises(imports.ImportFileError):
        imports.read_table(write(tmp_path, "corrupt.xlsx", bytes(broken)))
