"""Only inventory.locking locks inventory rows or writes `booked` (invariant 1).

One module taking every inventory lock is what keeps the global order (room type, then
date) and the bounded wait in one place; a source scan keeps it that way.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

# inventory/locking.py, or an inventory/locking/ package should it grow into one.
LOCKING = Path(settings.BASE_DIR).resolve() / "inventory" / "locking"

_LOCK = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?UPDATE\b", re.IGNORECASE)
_INVENTORY = re.compile(r"\binventory_inventory\b", re.IGNORECASE)
_WRITE_BOOKED = re.compile(
    r"\bUPDATE\s+inventory_inventory\b[^;]*?\bSET\b[^;]*?\bbooked\s*=",
    re.IGNORECASE,
)


def app_modules() -> list[Path]:
    """Return the project's own app modules, without migrations and tests."""
    root = Path(settings.BASE_DIR).resolve()
    modules = []
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if not path.is_relative_to(root) or "site-packages" in path.parts:
            continue
        modules += [
            module
            for module in path.rglob("*.py")
            if not {"migrations", "tests"} & set(module.relative_to(path).parts)
            and not module.name.startswith("test_")
            and module.name != "conftest.py"
        ]
    return sorted(modules)


def is_locking(module: Path) -> bool:
    return module == LOCKING.with_suffix(".py") or module.is_relative_to(LOCKING)


def _strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}"
                for part in node.values
            )
            yield node.lineno, text


def _on_inventory(node: ast.AST) -> bool:
    """Say whether a call's receiver chain starts from the Inventory model."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and node.id == "Inventory"


def inventory_locks_and_booked_writes(module: Path) -> list[str]:
    """Return where a module locks inventory rows or writes their booked count."""
    tree = ast.parse(module.read_text(), filename=str(module))
    found = [
        (line, what)
        for line, text in _strings(tree)
        for what, hit in (
            ("FOR UPDATE on inventory_inventory", _LOCK.search(text)),
            ("UPDATE inventory_inventory SET booked", _WRITE_BOOKED.search(text)),
        )
        if hit and _INVENTORY.search(text)
    ]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, receiver = node.func.attr, node.func.value
        if name == "select_for_update" and _on_inventory(receiver):
            found.append((node.lineno, "Inventory select_for_update()"))
        booked = any(keyword.arg == "booked" for keyword in node.keywords)
        if name == "update" and booked and _on_inventory(receiver):
            found.append((node.lineno, "Inventory update(booked=...)"))
    return [f"{module}:{line}: {what}" for line, what in sorted(set(found))]


def test_no_module_but_inventory_locking_locks_inventory_or_writes_booked():
    others = [module for module in app_modules() if not is_locking(module)]

    found = [
        hit for module in others for hit in inventory_locks_and_booked_writes(module)
    ]

    assert len(others) > 50, "the scan found too few modules to mean anything"
    assert found == [], "move these into inventory/locking:\n" + "\n".join(found)


def test_the_scan_recognises_what_inventory_locking_does():
    locking = [module for module in app_modules() if is_locking(module)]

    found = [
        hit for module in locking for hit in inventory_locks_and_booked_writes(module)
    ]

    assert any("FOR UPDATE" in hit for hit in found), found
    assert any("SET booked" in hit for hit in found), found


def test_the_scan_recognises_orm_locks_and_writes_on_inventory(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "def f(night):\n"
        "    Inventory.objects.filter(date=night).select_for_update().get()\n"
        "    Inventory.objects.filter(date=night).update(booked=F('booked') + 1)\n"
        "    Booking.objects.select_for_update().get()\n"
    )

    found = inventory_locks_and_booked_writes(module)

    assert [hit.split(": ", 1)[1] for hit in found] == [
        "Inventory select_for_update()",
        "Inventory update(booked=...)",
    ]
