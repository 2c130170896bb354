"""The OCOP office's dashboard pages. Thin: forms check, catalog_ext.services / importer act."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from catalog_ext import expiry, importer, rules, services
from catalog_ext.models import Certificate, CertificateImport, GeographicalIndication, GILicence
from core.text import fold

from . import forms

Partner = get_model("partner", "Partner")

PAGE_SIZE = 25


class OfficeMixin:
    """Title and the way back, for the shared templates."""

    title = ""
    back_url_name = "dashboard:ocop-certificate-list"

    def get_title(self):
        return self.title

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.get_title())
        ctx.setdefault("back_url", reverse(self.back_url_name))
        return ctx


def apply_errors(form, error: ValidationError, fields: dict | None = None):
    """Put a service's ValidationError on the form (model field names mapped to form field names)."""
    fields = fields or {}
    for name, messages_ in error.message_dict.items():
        target = fields.get(name, name)
        for message in messages_:
            form.add_error(target if target in form.fields else None, message)


# ---------------------------------------------------------------------------- certificates
def certificate_queryset(*, q: str = "", stars: int | None = None, status: str = ""):
    """Certificates for the office list; the status filters are the querysets' own rules."""
    on = rules.today()
    qs = {
        "active": lambda: Certificate.objects.valid(on),
        "expiring": lambda: Certificate.objects.expiring(within_days=expiry.EXPIRING_WITHIN_DAYS, on=on),
        "expired": lambda: Certificate.objects.expired(on),
        "revoked": lambda: Certificate.objects.filter(revoked_on__lte=on),
    }.get(status, Certificate.objects.all)()
    if q:
        folded = fold(q).strip()
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(product__search_text__contains=folded)
                       | Q(product__upc=q.strip())
                       | Q(pk__in=Certificate.objects.filter(product__stockrecords__partner_sku=q.strip()).values("pk")))
    if stars:
        qs = qs.filter(stars=stars)
    return expiry.for_office(expiry.with_renewal(qs, on)).order_by("-issued_on", "-pk")


class CertificateListView(OfficeMixin, generic.ListView):
    template_name = "oscar/dashboard/ocop/certificate_list.html"
    context_object_name = "certificates"
    paginate_by = PAGE_SIZE
    title = _("OCOP certificates")

    def get_queryset(self):
        self.form = forms.CertificateSearchForm(self.request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        self.is_filtered = any(filters.values())
        return certificate_queryset(q=filters.get("q", ""), stars=filters.get("stars"),
                                    status=filters.get("status", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(form=self.form, is_filtered=self.is_filtered, today=rules.today())
        return ctx


class CertificateCreateView(OfficeMixin, generic.CreateView):
    model = Certificate
    form_class = forms.CertificateCreateForm
    template_name = "oscar/dashboard/ocop/form.html"
    title = _("Record a certificate")

    def get_initial(self):
        product = self.request.GET.get("product", "")
        return {"product": product} if product.isdigit() else {}

    def form_valid(self, form):
        try:
            certificate = services.register_certificate(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Certificate %(number)s recorded.") % {"number": certificate.number})
        return redirect("dashboard:ocop-certificate-list")


class CertificateUpdateView(OfficeMixin, generic.UpdateView):
    model = Certificate
    form_class = forms.CertificateForm
    template_name = "oscar/dashboard/ocop/form.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return expiry.for_office(Certificate.objects.all())

    def get_title(self):
        return _("Certificate %(number)s") % {"number": self.object.number}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history"] = expiry.for_office(Certificate.objects.filter(product=self.object.product_id))
        return ctx

    def form_valid(self, form):
        try:
            services.update_certificate(certificate=Certificate.objects.get(pk=self.object.pk),
                                        changes=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Certificate %(number)s saved.") % {"number": form.cleaned_data["number"]})
        return redirect("dashboard:ocop-certificate-list")


class CertificateRenewView(OfficeMixin, generic.FormView):
    """Re-evaluation: a new certificate for the same product (also how 3★ becomes 4★)."""

    form_class = forms.RenewForm
    template_name = "oscar/dashboard/ocop/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.old = get_object_or_404(expiry.for_office(Certificate.objects.all()), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Renew or re-rate %(product)s") % {"product": self.old.product.title}

    def get_initial(self):
        return forms.RenewForm.initial_from(self.old)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Certificate(product=self.old.product)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["certificate"] = self.old
        ctx["history"] = expiry.for_office(Certificate.objects.filter(product=self.old.product_id))
        return ctx

    def form_valid(self, form):
        try:
            new = services.renew_certificate(old=self.old, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Certificate %(number)s recorded; %(old)s stays on record.") % {
            "number": new.number, "old": self.old.number})
        return redirect("dashboard:ocop-certificate-list")


class RevokeView(OfficeMixin, generic.FormView):
    form_class = forms.RevokeForm
    template_name = "oscar/dashboard/ocop/form.html"
    model = None
    revoke = None

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        if self.object.revoked_on:
            messages.info(request, _("%(object)s was already revoked on %(date)s.") % {
                "object": self.object, "date": self.object.revoked_on.strftime("%d/%m/%Y")})
            return redirect(self.back_url_name)
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Revoke %(object)s") % {"object": self.object}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["danger"] = True
        return ctx

    def form_valid(self, form):
        try:
            type(self).revoke(self.object, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])
        except ValidationError as error:
            apply_errors(form, error, {"revoked_on": "on", "revoked_reason": "reason"})
            return self.form_invalid(form)
        messages.success(self.request, _("%(object)s revoked.") % {"object": self.object})
        return redirect(self.back_url_name)


class CertificateRevokeView(RevokeView):
    model = Certificate

    @staticmethod
    def revoke(certificate, **kwargs):
        return services.revoke_certificate(certificate=certificate, **kwargs)


class ExpiringCertificatesView(OfficeMixin, generic.TemplateView):
    template_name = "oscar/dashboard/ocop/expiring.html"
    title = _("Expiring and expired certificates")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reminders = Prefetch("reminders")
        ctx.update(
            today=rules.today(), within_days=expiry.EXPIRING_WITHIN_DAYS,
            expiring=expiry.expiring_certificates().prefetch_related(reminders),
            expired=expiry.expired_certificates().filter(renewed=False)[:200],
        )
        return ctx


# ---------------------------------------------------------------------------- GIs and licences
class GIListView(OfficeMixin, generic.ListView):
    template_name = "oscar/dashboard/ocop/gi_list.html"
    context_object_name = "gis"
    title = _("Geographical indications")

    def get_queryset(self):
        on = rules.today()
        return GeographicalIndication.objects.prefetch_related("area").annotate(
            licence_count=Count("licences", filter=rules.validity_q(on, prefix="licences__"), distinct=True),
            product_count=Count("products", distinct=True))


class GIFormMixin(OfficeMixin):
    model = GeographicalIndication
    form_class = forms.GIForm
    template_name = "oscar/dashboard/ocop/form.html"
    back_url_name = "dashboard:ocop-gi-list"

    def form_valid(self, form):
        try:
            gi = services.save_geographical_indication(gi=form.save(commit=False), area=form.cleaned_data["area"])
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(gi)s saved.") % {"gi": gi.name})
        return redirect(self.back_url_name)


class GICreateView(GIFormMixin, generic.CreateView):
    title = _("New geographical indication")


class GIUpdateView(GIFormMixin, generic.UpdateView):
    def get_title(self):
        return self.object.name


class LicenceListView(OfficeMixin, generic.ListView):
    template_name = "oscar/dashboard/ocop/licence_list.html"
    context_object_name = "licences"
    paginate_by = PAGE_SIZE
    title = _("GI licences")

    def get_queryset(self):
        qs = GILicence.objects.select_related("gi", "producer")
        self.gi = self.request.GET.get("gi", "")
        if self.gi.isdigit():
            qs = qs.filter(gi_id=int(self.gi))
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(gis=GeographicalIndication.objects.all(), selected_gi=self.gi, today=rules.today())
        return ctx


class LicenceFormMixin(OfficeMixin):
    model = GILicence
    form_class = forms.LicenceForm
    template_name = "oscar/dashboard/ocop/form.html"
    back_url_name = "dashboard:ocop-licence-list"

    def form_valid(self, form):
        try:
            licence = services.save_gi_licence(licence=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Licence %(number)s saved.") % {"number": licence.number})
        return redirect(self.back_url_name)


class LicenceCreateView(LicenceFormMixin, generic.CreateView):
    title = _("New GI licence")

    def get_initial(self):
        gi = self.request.GET.get("gi", "")
        return {"gi": gi} if gi.isdigit() else {}


class LicenceUpdateView(LicenceFormMixin, generic.UpdateView):
    def get_title(self):
        return _("Licence %(number)s") % {"number": self.object.number}


class LicenceRevokeView(RevokeView):
    model = GILicence
    back_url_name = "dashboard:ocop-licence-list"

    @staticmethod
    def revoke(licence, **kwargs):
        return services.revoke_gi_licence(licence=licence, **kwargs)


# ---------------------------------------------------------------------------- producers
class ProducerListView(OfficeMixin, generic.ListView):
    """Producers with their OCOP standing; their profile is edited on Oscar's partner page."""

    template_name = "oscar/dashboard/ocop/producer_list.html"
    context_object_name = "producers"
    paginate_by = PAGE_SIZE
    title = _("Producers")

    def get_queryset(self):
        on = rules.today()
        valid = Certificate.objects.valid(on).filter(product__producer=OuterRef("pk"))
        return Partner.objects.order_by("name").annotate(
            product_count=Count("produced_products", distinct=True),
            has_valid_certificate=Exists(valid),
            licence_count=Count("gi_licences", filter=rules.validity_q(on, prefix="gi_licences__"), distinct=True),
        ).prefetch_related("users")


# ---------------------------------------------------------------------------- CSV import
class ImportUploadView(OfficeMixin, generic.FormView):
    form_class = forms.ImportForm
    template_name = "oscar/dashboard/ocop/import_upload.html"
    title = _("Import the province's certificate list")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = importer.parse_certificates(upload.read(importer.MAX_BYTES + 1))
        if result.file_errors:
            for error in result.file_errors:
                form.add_error("file", error)
            return self.form_invalid(form)
        # Only a user's latest preview can be confirmed; anyone's preview left for a day is dropped.
        CertificateImport.objects.filter(Q(created_by=self.request.user)
                                         | Q(created_at__lt=timezone.now() - dt.timedelta(days=1))).delete()
        batch = CertificateImport.objects.create(created_by=self.request.user, filename=upload.name[:255],
                                                 rows=result.raw_rows())
        return redirect("dashboard:ocop-import-preview", token=batch.token)


class ImportPreviewView(OfficeMixin, generic.TemplateView):
    """Every row with its errors and line numbers; confirming writes all of them or none."""

    template_name = "oscar/dashboard/ocop/import_preview.html"
    back_url_name = "dashboard:ocop-import"

    def dispatch(self, request, *args, **kwargs):
        self.batch = CertificateImport.objects.filter(token=kwargs["token"], created_by=request.user).first()
        if self.batch is None:
            messages.warning(request, _("This import is no longer available: upload the file again."))
            return redirect("dashboard:ocop-import")
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Check the import: %(file)s") % {"file": self.batch.filename}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        result = kwargs.get("result") or importer.validate_rows(self.batch.rows)
        ctx.update(result=result, batch=self.batch, columns=importer.COLUMNS)
        return ctx

    def post(self, request, *args, **kwargs):
        result = importer.import_certificates(rows=self.batch.rows)
        if not result.ok:
            messages.error(request, _("Nothing was imported: fix the rows marked below and upload the file again."))
            return self.render_to_response(self.get_context_data(result=result))
        self.batch.delete()
        messages.success(request, _("%(new)s certificates imported, %(unchanged)s already on record.") % {
            "new": len(result.created), "unchanged": result.count("unchanged")})
        return redirect("dashboard:ocop-certificate-list")
