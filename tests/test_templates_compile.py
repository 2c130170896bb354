"""Every template of ours compiles (a merge that loses an {% endif %} fails here, not on a page
nobody opened in the tests)."""
from pathlib import Path

import pytest
from django.template.loader import get_template

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "node_modules", "staticfiles", "media", "var"}


def our_templates():
    for folder in [ROOT / "templates", *(p / "templates" for p in ROOT.iterdir() if p.name not in SKIP)]:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.html")):
                yield folder, path


@pytest.mark.parametrize("folder,path", list(our_templates()), ids=lambda v: str(v)[-60:])
def test_template_compiles(folder, path):
    get_template(str(path.relative_to(folder)))
