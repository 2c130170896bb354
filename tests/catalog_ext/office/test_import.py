"""The province's certificate list, imported from CSV: preview with line numbers, all or nothing,
safe to import twice, and a clear message (never a 500) for a file that cannot be read."""
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from catalog_ext import importer
from catalog_ext.badges import badges_for
from catalog_ext.models import Certificate, CertificateImport

from .conftest import demo_product

pytestmark = pytest.mark.django_db
UPLOAD = reverse("dashboard:ocop-import")
HEADER = "sku_or_upc,producer,stars,score,number,issuer,level,issued_on,expires_on,potential_five"
GOOD = "\n".join([
    HEADER,
    "TR-003,chieng-mai-coffee,3,62,IMP-001,UBND tỉnh Sơn La,province,2026-02-01,,",
    "HB-005,HTX Dược liệu Bắc Yên,4,75,IMP-002,UBND tỉnh Sơn La,tỉnh,15/02/2026,,có",
]) + "\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(text: str, *, bom: bool = False, encoding: str = "utf-8") -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def upload(client, data: bytes, name="list.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def messages_of(result):
    return {row.line: row.errors for row in result.rows}


# ---------------------------------------------------------------------------- the importer itself
def test_good_file_parses_as_new_rows(settings):
    # (the producer by its name on line 3: accents and case as the province typed them)
    result = importer.parse_certificates(csv_bytes(GOOD.replace("HTX Dược liệu Bắc Yên", "htx dược liệu bắc yên")))
    assert result.ok, result.error_lines
    assert [(row.line, row.status) for row in result.rows] == [(2, "new"), (3, "new")]
    row = result.rows[1]
    assert (row.fields["level"], row.fields["potential_five"], row.fields["issued_on"].isoformat()) == (
        "province", True, "2026-02-15")
    assert not Certificate.objects.filter(number__startswith="IMP-").exists()  # parsing writes nothing


def test_every_row_error_is_reported_with_its_line_number():
    text = "\n".join([
        HEADER,
        "NOPE-1,chieng-mai-coffee,3,60,IMP-101,UBND tỉnh Sơn La,province,2026-01-01,,",   # 2: unknown SKU
        "TR-003,moc-chau-tea,3,60,IMP-102,UBND tỉnh Sơn La,province,2026-01-01,,",        # 3: producer mismatch
        "TR-003,chieng-mai-coffee,4,60,IMP-103,UBND tỉnh Sơn La,province,2026-01-01,,",   # 4: stars vs score
        "TR-003,chieng-mai-coffee,5,95,IMP-104,UBND tỉnh Sơn La,province,2026-01-01,,",   # 5: 5★ not central
        "TR-003,chieng-mai-coffee,3,60,IMP-105,UBND tỉnh Sơn La,province,31/02/2026,,",   # 6: bad date
        "TR-003,chieng-mai-coffee,3,60,IMP-106,UBND tỉnh Sơn La,province,2026-01-01,,",   # 7: fine
        "OR-002,muong-la-orchid,3,61,IMP-106,UBND tỉnh Sơn La,province,2026-01-01,,",     # 8: duplicate number
        "OR-002,muong-la-orchid,3,61,IMP-108,UBND tỉnh Sơn La,district,2026-01-01,,maybe",  # 9: level, flag
    ])
    result = importer.parse_certificates(csv_bytes(text))
    errors = messages_of(result)
    assert not result.ok
    assert "no product has SKU or UPC NOPE-1" in errors[2][0]
    assert "does not match the product's producer" in errors[3][0]
    assert any(e.startswith("stars:") and "70 to 89" in e for e in errors[4])
    assert any(e.startswith("level:") and "central council" in e for e in errors[5])
    assert any("31/02/2026 is not a date" in e for e in errors[6])
    assert errors[7] == []
    assert "already on line 7" in errors[8][0]
    assert any(e.startswith("level:") for e in errors[9]) and any(e.startswith("potential_five:") for e in errors[9])
    assert "line 2: sku_or_upc: no product has SKU or UPC NOPE-1." in result.error_lines


def test_upc_finds_the_product_and_semicolons_bom_and_vietnamese_words_work():
    product = demo_product("OR-002")
    text = (f"sku_or_upc;producer;stars;score;number;issuer;level;issued_on;potential_five\n"
            f"{product.upc};{product.producer.code};3;55;IMP-201;UBND tỉnh Sơn La;Tỉnh;01/03/2026;không\n")
    result = importer.parse_certificates(csv_bytes(text, bom=True))
    assert result.ok, result.error_lines
    assert result.rows[0].fields["product"] == product


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"\n  \n", "The file is empty."),
    ("sku_or_upc,producer\n".encode("utf-16"), "not UTF-8"),
    ("sku_or_upc,producer,stars,score,number,issuer,level,issued_on\nTR-003,Cà phê,3,60,X,Y,province,2026-01-01\n"
     .encode("cp1258"), "not UTF-8"),  # Excel on Windows, Vietnamese code page
    (b"TR-003,chieng-mai-coffee,3,60,IMP-1,UBND,province,2026-01-01\n", "must be the header"),
    (HEADER.replace(",", "\t").encode() + b"\nTR-003\tx\n", "uses tabs"),
    (HEADER.replace(",", "|").encode() + b"\n", "must be the header"),
    (b"sku_or_upc,producer,stars,score,number\nTR-003,x,3,60,1\n", "Missing column(s): issuer, level, issued_on."),
    (HEADER.encode() + b",expire_on\n", "Unknown column(s): expire_on."),
    (HEADER.encode() + b"\n", "header row but no certificates"),
    (b"x" * (importer.MAX_BYTES + 1), "larger than 5 MB"),
    (HEADER.encode() + b"\n" + b"TR-003,x,3,60,N,I,province,2026-01-01,,\n" * (importer.MAX_ROWS + 1),
     "import at most 5000 at a time"),
])
def test_unreadable_files_get_one_clear_message(data, message):
    result = importer.parse_certificates(data)
    assert not result.ok and result.rows == []
    assert any(message in error for error in result.file_errors), result.file_errors


def test_existing_number_is_unchanged_when_equal_and_an_error_when_different():
    cert = Certificate.objects.get(number="DEMO-SL-2024-FR001")
    same = (f"FR-001,yen-chau-mango,4,76,{cert.number},{cert.issuer},province,{cert.issued_on.isoformat()},,")
    other = (f"FR-001,yen-chau-mango,4,80,{cert.number},{cert.issuer},province,{cert.issued_on.isoformat()},,")
    assert importer.parse_certificates(csv_bytes(f"{HEADER}\n{same}\n")).rows[0].status == "unchanged"
    result = importer.parse_certificates(csv_bytes(f"{HEADER}\n{other}\n"))
    assert "already on record with a different score" in result.rows[0].errors[0]
    assert "never overwrites" in result.rows[0].errors[0]


# ---------------------------------------------------------------------------- through the dashboard
def test_preview_shows_line_numbered_errors_and_nothing_is_written(office):
    bad = GOOD + "TR-003,chieng-mai-coffee,4,95,IMP-003,UBND tỉnh Sơn La,province,2026-02-01,,\n"
    response = upload(office, csv_bytes(bad))
    assert response.status_code == 302
    preview = office.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-error-line="4"' in body and "Line 4" in body and "4★ needs a score from 70 to 89" in body
    assert 'data-line="2" data-status="new"' in body
    assert "Import 2 certificates" not in body  # no confirm button while a row is wrong
    # Confirming anyway (a forged POST) writes nothing: all or nothing
    again = office.post(response["Location"])
    assert again.status_code == 200 and "Nothing was imported" in again.content.decode()
    assert not Certificate.objects.filter(number__startswith="IMP-").exists()


def test_good_file_commits_and_importing_it_again_changes_nothing(office):
    # Given a good file, previewed
    preview_url = upload(office, csv_bytes(GOOD, bom=True))["Location"]
    assert "Import 2 certificates" in office.get(preview_url).content.decode()
    # When the office confirms
    done = office.post(preview_url)
    # Then both certificates are recorded, the badges show, and the preview is gone
    assert done.status_code == 302
    assert Certificate.objects.filter(number__in=["IMP-001", "IMP-002"]).count() == 2
    assert badges_for(demo_product("HB-005")).stars == 4
    assert not CertificateImport.objects.exists()
    assert office.post(preview_url).status_code == 302  # the token is spent
    # When the same file is imported again
    second = office.get(upload(office, csv_bytes(GOOD))["Location"]).content.decode()
    assert 'data-status="unchanged"' in second and 'data-status="new"' not in second
    assert "nothing to import" in second
    assert Certificate.objects.filter(number__startswith="IMP-").count() == 2


@pytest.mark.parametrize("data, message", [
    (b"", "The submitted file is empty."),  # Django's own check on an empty upload
    ("a,b\n".encode("utf-16"), "not UTF-8"),
    (b"TR-003,chieng-mai-coffee,3,60,IMP-1,UBND,province,2026-01-01\n", "must be the header"),
    (HEADER.replace(",", "\t").encode() + b"\n", "uses tabs"),
    (b"x" * (importer.MAX_BYTES + 1), "larger than 5 MB"),
])
def test_bad_files_get_a_clear_message_on_the_upload_form(office, data, message):
    response = upload(office, data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["file"]), response.context["form"].errors
    assert not CertificateImport.objects.exists()


def test_preview_belongs_to_the_user_who_uploaded(office):
    from django.contrib.auth import get_user_model
    from django.test import Client

    preview_url = upload(office, csv_bytes(GOOD))["Location"]
    other = get_user_model().objects.create_user(username="clerk2", email="clerk2@ocop.demo", password="x",
                                                 is_staff=True)
    colleague = Client()
    colleague.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    colleague.force_login(other)
    assert colleague.post(preview_url).status_code == 302
    assert not Certificate.objects.filter(number__startswith="IMP-").exists()


# ---------------------------------------------------------------------------- management command
def test_command_checks_then_commits(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(GOOD))
    call_command("import_certificates", str(path))
    assert "2 new" in capsys.readouterr().out
    assert not Certificate.objects.filter(number__startswith="IMP-").exists()
    call_command("import_certificates", str(path), "--commit")
    assert Certificate.objects.filter(number__startswith="IMP-").count() == 2
    call_command("import_certificates", str(path), "--commit")
    assert "0 new, 2 unchanged" in capsys.readouterr().out


def test_command_refuses_a_file_with_errors(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(GOOD + "NOPE,x,3,60,IMP-9,UBND,province,2026-01-01,,\n"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_certificates", str(path), "--commit")
    assert "line 4: sku_or_upc" in capsys.readouterr().err
    assert not Certificate.objects.filter(number__startswith="IMP-").exists()
