"""The first synonyms and misspellings (issue 19: "cafe" found nothing); the office edits them
in the admin from then on. Stored folded, as SearchSynonym.save() would."""
from django.db import migrations

SYNONYMS = [
    ("cafe", "ca phe"), ("coffee", "ca phe"), ("caphe", "ca phe"), ("cofee", "ca phe"),
    ("tea", "che"), ("tea", "tra"),
    ("honey", "mat ong"), ("matong", "mat ong"),
    ("rice", "gao"), ("wine", "ruou"), ("plum", "man"), ("mushroom", "nam"),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("listing", "SearchSynonym")
    for term, means in SYNONYMS:
        SearchSynonym.objects.get_or_create(term=term, means=means)


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("listing", "SearchSynonym")
    for term, means in SYNONYMS:
        SearchSynonym.objects.filter(term=term, means=means).delete()


class Migration(migrations.Migration):
    dependencies = [("listing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
