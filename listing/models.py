from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog_ext.search_text import WORD
from core.text import fold


class SearchSynonym(models.Model):
    """A word shoppers type and the words the catalogue uses for it: "cafe" and "coffee" mean "cà
    phê", "tea" means "chè" and "trà" (one row each), a common misspelling its right spelling.
    Kept as data the OCOP office edits in the admin; the search (listing.synonyms) also looks for
    `means` wherever a query has `term`. Both are stored folded (no accents, lower case), as the
    search compares them."""

    term = models.CharField(_("shoppers type"), max_length=60,
                            help_text=_("One word, e.g. cafe, coffee, honey. Accents and capitals do not matter."))
    means = models.CharField(_("the catalogue says"), max_length=120,
                             help_text=_("The words products use, e.g. cà phê, mật ong."))

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ("term", "means")
        constraints = [models.UniqueConstraint(fields=("term", "means"), name="listing_synonym_once")]

    def __str__(self):
        return f"{self.term} → {self.means}"

    def clean(self):
        from django.core.exceptions import ValidationError

        term_words = WORD.findall(fold(self.term or ""))
        if len(term_words) != 1:
            raise ValidationError({"term": _("Type exactly one word.")})
        if not WORD.findall(fold(self.means or "")):
            raise ValidationError({"means": _("Type the words the catalogue uses.")})
        if fold(self.means) == term_words[0]:
            raise ValidationError({"means": _("A word cannot be its own synonym.")})

    def save(self, *args, **kwargs):
        self.term = " ".join(WORD.findall(fold(self.term or "")))
        self.means = " ".join(WORD.findall(fold(self.means or "")))
        super().save(*args, **kwargs)
