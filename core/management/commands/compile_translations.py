"""`manage.py compile_translations`: .po -> .mo with Babel, no GNU gettext needed.

The compiled .mo files are committed so a fresh machine (and the Docker image) serves every
language without a build step; this command rebuilds them after a .po edit, and
`--check` fails when a committed .mo no longer matches its .po (a test runs it).
"""

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def compiled(po_path: Path) -> bytes:
    """Return the .mo bytes for a .po file (fuzzy entries left out, as msgfmt does)."""
    with po_path.open("rb") as po:
        catalog = read_po(po)
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def po_files() -> list[Path]:
    return sorted(
        path
        for root in settings.LOCALE_PATHS
        for path in Path(root).glob("*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo with Babel (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if a .mo is missing or stale."
        )

    def handle(self, *args, check: bool, **options):
        stale = []
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            data = compiled(po_path)
            if mo_path.exists() and mo_path.read_bytes() == data:
                continue
            if check:
                stale.append(str(mo_path))
                continue
            mo_path.write_bytes(data)
            self.stdout.write(f"compiled {mo_path}")
        if stale:
            raise CommandError(
                "Stale translations; run manage.py compile_translations: "
                + ", ".join(stale)
            )
