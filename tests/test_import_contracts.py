"""The layers of ARCHITECTURE.md hold: no import runs back up a layer, and the channels (storefront,
producer portal, counter) do not import each other. The contracts are in .importlinter."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(config: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(command), "--config", str(config), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT / ".importlinter")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout


def test_the_layers_contract_catches_an_arrow_up(tmp_path):
    # given: a contract that puts the ground layer above the OCOP domain (which imports core)
    config = (ROOT / ".importlinter").read_text().replace(
        "    catalog_ext | showrooms\n    core\n", "    core\n    catalog_ext | showrooms\n")
    (tmp_path / "inverted.ini").write_text(config)
    result = lint_imports(tmp_path / "inverted.ini")
    assert result.returncode != 0
    assert "catalog_ext is not allowed to import core" in result.stdout
