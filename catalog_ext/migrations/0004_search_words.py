"""The typo fallback's vocabulary (catalog_ext.models.SearchWord), filled from the products there
are; on PostgreSQL, fuzzystrmatch for levenshtein()."""
from django.db import migrations, models


def fill_vocabulary(apps, schema_editor):
    from catalog_ext.search_text import words_of

    Product = apps.get_model("catalogue", "Product")
    SearchWord = apps.get_model("catalog_ext", "SearchWord")
    words = set()
    for text in Product.objects.values_list("search_text", flat=True).iterator(chunk_size=2000):
        words |= words_of(text or "")
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True,
                                   batch_size=1000)


def fuzzystrmatch(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")


class Migration(migrations.Migration):

    dependencies = [
        ('catalog_ext', '0003_reminders_imports'),
        ('catalogue', '0033_product_ocop_facts'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=64, unique=True)),
            ],
            options={
                'verbose_name': 'Search word',
                'verbose_name_plural': 'Search words',
            },
        ),
        migrations.RunPython(fuzzystrmatch, migrations.RunPython.noop),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
