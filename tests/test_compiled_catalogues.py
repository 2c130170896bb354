"""Each compiled catalogue (.mo) holds every translation of its .po: a merge that kept one branch's
.mo, or Django's compilemessages skipping a .mo newer than its .po, showed English to Vietnamese
shoppers ("More than 1,000 products")."""
import ast
import gettext
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    Path(p) for p in subprocess.run(["git", "ls-files", "*.po"], cwd=ROOT, capture_output=True,
                                    text=True, check=True).stdout.split()
)


def translated_msgids(po: Path):
    """(msgid, msgctxt) of every non-fuzzy entry with a translation, from the .po text."""
    entries, entry, field, fuzzy = [], {}, None, False

    def close():
        nonlocal entry, fuzzy
        if entry.get("msgid") and (entry.get("msgstr") or entry.get("msgstr[0]")) and not fuzzy:
            entries.append((entry["msgid"], entry.get("msgctxt")))
        entry, fuzzy = {}, False

    for line in (ROOT / po).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            if field == "msgid" and "msgstr" in entry:
                close()
            entry[field] = ast.literal_eval(value)
    close()
    return entries


@pytest.mark.parametrize("po", CATALOGUES, ids=str)
def test_the_compiled_catalogue_has_every_translation_of_its_po(po):
    with open(ROOT / po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    keys = {key if isinstance(key, str) else key[0] for key in compiled}
    missing = [msgid for msgid, context in translated_msgids(po)
               if (f"{context}\x04{msgid}" if context else msgid) not in keys]
    assert not missing, f"{po.with_suffix('.mo')} lacks {len(missing)} translations, e.g. {missing[:3]}: run make messages"
