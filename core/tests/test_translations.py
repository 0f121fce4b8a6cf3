"""The committed .mo files match their .po files, so every language works out of a clone."""

from django.core.management import call_command

from core.management.commands.compile_translations import compiled, po_files


def test_every_po_file_has_an_up_to_date_committed_mo_file():
    files = po_files()

    assert {path.parent.parent.name for path in files} == {"ko", "zh_Hant"}
    for po_path in files:
        assert po_path.with_suffix(".mo").read_bytes() == compiled(po_path), po_path
    call_command("compile_translations", check=True)
