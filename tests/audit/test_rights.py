"""Who may change who-may-do-what (issue 20): superusers only, on every path.

Each path is tried by the demo's office account (staff, not superuser, in the "OCOP office"
group) and refused with nothing changed; a superuser doing the same succeeds and the audit log
gets a row naming them, with the value before and after."""
from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from oscar.core.loading import get_model

from showrooms.models import Showroom, ShowroomStaff
from tests.audit.formdata import form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")


@pytest.fixture
def office():
    return User.objects.get(email="vanphong@ocop.demo")


@pytest.fixture
def admin_user():
    return User.objects.get(email="admin@ocop.demo")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj)


def _showroom_post(client, showroom, add_user, role=ShowroomStaff.MANAGER) -> dict:
    url = f"/admin/showrooms/showroom/{showroom.pk}/change/"
    data = form_data(client.get(url).content.decode(), "showroom_form")
    total, initial = int(data.get("staff-TOTAL_FORMS", 0)), int(data.get("staff-INITIAL_FORMS", 0))
    n = total - 1 if total > initial else total  # the blank row, or one more: the user as manager
    data.update({"staff-TOTAL_FORMS": str(n + 1), "staff-INITIAL_FORMS": str(initial),
                 f"staff-{n}-user": str(add_user.pk), f"staff-{n}-role": role,
                 f"staff-{n}-showroom": str(showroom.pk)})
    if total == 0:  # the inline was not on the page at all (no right to add): post it anyway
        data.update({"staff-MIN_NUM_FORMS": "0", "staff-MAX_NUM_FORMS": "1000"})
    data["_save"] = "Save"
    return client.post(url, data)


# --- showroom staff: the admin inline, the staff admin and its bulk delete ------------------

def test_office_cannot_make_themselves_a_showroom_manager_through_the_inline(office):
    showroom = Showroom.objects.filter(is_active=True).first()
    client = signed_in(office)
    page = client.get(f"/admin/showrooms/showroom/{showroom.pk}/change/")
    assert page.status_code == 200
    assert 'name="staff-0-user"' not in page.content.decode()  # the inline is shown, not editable

    _showroom_post(client, showroom, office)

    assert not ShowroomStaff.objects.filter(user=office).exists()
    assert signed_in(office).get("/pos/").status_code != 200 or not ShowroomStaff.objects.filter(user=office)


def test_superuser_adds_a_showroom_manager_through_the_inline_and_it_is_logged(admin_user, office):
    showroom = Showroom.objects.filter(is_active=True).first()
    response = _showroom_post(signed_in(admin_user), showroom, office)

    assert response.status_code == 302
    staff = ShowroomStaff.objects.get(user=office, showroom=showroom)
    assert staff.role == ShowroomStaff.MANAGER
    entry = entries_for(staff).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == admin_user
    assert entry.changes_dict["role"] == ["None", ShowroomStaff.MANAGER]


def test_office_cannot_add_change_or_delete_showroom_staff_in_their_admin(office):
    showroom = Showroom.objects.filter(is_active=True).first()
    cashier = ShowroomStaff.objects.filter(showroom=showroom).first() or ShowroomStaff.objects.first()
    client = signed_in(office)
    before = list(ShowroomStaff.objects.values_list("pk", "user_id", "role").order_by("pk"))

    assert client.get("/admin/showrooms/showroomstaff/add/").status_code == 403
    assert client.post("/admin/showrooms/showroomstaff/add/", {
        "showroom": showroom.pk, "user": office.pk, "role": "manager"}).status_code == 403
    client.post(f"/admin/showrooms/showroomstaff/{cashier.pk}/change/", {
        "showroom": cashier.showroom_id, "user": office.pk, "role": "manager"})
    assert client.post(f"/admin/showrooms/showroomstaff/{cashier.pk}/delete/", {"post": "yes"}).status_code == 403
    # the changelist's bulk action
    client.post("/admin/showrooms/showroomstaff/", {
        "action": "delete_selected", "_selected_action": [cashier.pk], "post": "yes"})

    assert list(ShowroomStaff.objects.values_list("pk", "user_id", "role").order_by("pk")) == before


# --- producers' users: the partner admin and the partner dashboard ---------------------------

def test_office_cannot_attach_a_user_to_a_producer_in_the_partner_admin(office):
    partner = Partner.objects.get(users__email="mocchau.tea@ocop.demo")
    outsider = User.objects.get(email="htx.chiengmai@ocop.demo")
    client = signed_in(office)
    url = f"/admin/partner/partner/{partner.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "partner_form")
    assert "users" not in data  # read-only for office staff
    data.update({"users": [str(u) for u in partner.users.values_list("pk", flat=True)] + [str(outsider.pk)],
                 "_save": "Save"})
    client.post(url, data)

    assert not partner.users.filter(pk=outsider.pk).exists()


def test_superuser_attaches_a_user_in_the_partner_admin_and_it_is_logged(admin_user):
    partner = Partner.objects.get(users__email="mocchau.tea@ocop.demo")
    newcomer = User.objects.create_user("newcomer", "newcomer@example.vn", "x-secret-1")
    client = signed_in(admin_user)
    url = f"/admin/partner/partner/{partner.pk}/change/"
    data = form_data(client.get(url).content.decode(), "partner_form")
    users = data.get("users", [])
    users = users if isinstance(users, list) else [users]
    data.update({"users": [*users, str(newcomer.pk)], "_save": "Save"})

    assert client.post(url, data).status_code == 302
    assert partner.users.filter(pk=newcomer.pk).exists()
    entry = entries_for(partner).latest("timestamp")
    assert entry.actor == admin_user
    assert str(newcomer) in str(entry.changes_dict["users"])


@pytest.mark.parametrize("path", ["link", "unlink"])
def test_office_cannot_link_or_unlink_producer_users_in_the_dashboard(office, path):
    partner = Partner.objects.get(users__email="mocchau.tea@ocop.demo")
    member = partner.users.get(email="mocchau.tea@ocop.demo")
    outsider = User.objects.get(email="htx.chiengmai@ocop.demo")
    target = outsider if path == "link" else member
    # even with the user permissions Oscar's page asks for, the right stays the superuser's
    office.user_permissions.add(*Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(User), codename__in=["view_user", "change_user", "add_user"]))
    before = set(partner.users.values_list("pk", flat=True))

    response = signed_in(office).post(f"/dashboard/partners/{partner.pk}/users/{target.pk}/{path}/")

    assert response.status_code in (302, 403)
    assert set(partner.users.values_list("pk", flat=True)) == before
    for page in ("users/add/", "users/select/", f"users/{member.pk}/update/"):
        got = signed_in(office).get(f"/dashboard/partners/{partner.pk}/{page}")
        assert got.status_code in (302, 403) and "/login/" in got.get("Location", "/login/")


def test_superuser_links_a_producer_user_in_the_dashboard(admin_user):
    partner = Partner.objects.get(users__email="mocchau.tea@ocop.demo")
    newcomer = User.objects.create_user("newcomer2", "newcomer2@example.vn", "x-secret-1")
    response = signed_in(admin_user).post(f"/dashboard/partners/{partner.pk}/users/{newcomer.pk}/link/")
    assert response.status_code == 302
    assert partner.users.filter(pk=newcomer.pk).exists()
    assert entries_for(partner).filter(actor=admin_user).exists()


# --- users' flags, groups and permissions: even an office account given the user admin --------

@pytest.fixture
def office_with_user_admin(office):
    """Office staff who were (wrongly) given the user and group admin: the model still refuses."""
    perms = Permission.objects.filter(content_type__app_label="auth",
                                      codename__in=["view_user", "change_user", "view_group", "change_group"])
    office.user_permissions.add(*perms)
    return office


def test_office_cannot_make_themselves_superuser_or_join_a_group(office_with_user_admin):
    office = office_with_user_admin
    client = signed_in(office)
    url = f"/admin/auth/user/{office.pk}/change/"
    data = form_data(client.get(url).content.decode(), "user_form")
    groups_before = set(office.groups.values_list("pk", flat=True))
    staff_group, _ = Group.objects.get_or_create(name="Everything")
    data.update({"is_superuser": "on", "groups": [str(staff_group.pk)], "_save": "Save"})

    response = client.post(url, data)

    assert response.status_code == 403
    office.refresh_from_db()
    assert not office.is_superuser
    assert set(office.groups.values_list("pk", flat=True)) == groups_before


def test_office_cannot_widen_a_group(office_with_user_admin):
    group = Group.objects.get(name="OCOP office")
    before = set(group.permissions.values_list("pk", flat=True))
    client = signed_in(office_with_user_admin)
    url = f"/admin/auth/group/{group.pk}/change/"
    data = form_data(client.get(url).content.decode(), "group_form")
    data.update({"permissions": [str(p) for p in Permission.objects.values_list("pk", flat=True)], "_save": "Save"})

    assert client.post(url, data).status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_superuser_grants_staff_and_it_is_logged_with_before_and_after(admin_user):
    user = User.objects.create_user("to-promote", "promote@example.vn", "x-secret-1")
    client = signed_in(admin_user)
    url = f"/admin/auth/user/{user.pk}/change/"
    data = form_data(client.get(url).content.decode(), "user_form")
    data.update({"is_staff": "on", "_save": "Save"})

    assert client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    entry = entries_for(user).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_user and entry.changes_dict["is_staff"] == ["False", "True"]


def test_a_new_account_may_not_be_born_staff_inside_a_non_superusers_request(office):
    from audit.rights import RightsChangeRefused, acting_user

    with acting_user(office), pytest.raises(RightsChangeRefused):
        User.objects.create_user("sneaky", "sneaky@example.vn", "x-secret-1", is_staff=True)
    with acting_user(office):  # an ordinary sign-up is no rights change
        User.objects.create_user("plain", "plain@example.vn", "x-secret-1")


def test_no_code_of_ours_writes_rights_around_the_model_signals():
    """update()/bulk_create() skip the signals audit.rights relies on: none may touch rights."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"(is_staff|is_superuser)\s*=.*\.update\(|\.update\([^)]*(is_staff|is_superuser)"
                         r"|ShowroomStaff\.objects\.bulk_create|through\.objects\.(bulk_create|create)")
    offenders = [f"{p}:{i}" for p in root.glob("*/**/*.py")
                 if ".venv" not in p.parts and "tests" not in p.parts and "migrations" not in p.parts
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


# --- the log itself: staff read it, nobody edits it ------------------------------------------

def test_office_reads_the_audit_log_and_nobody_can_edit_it(office, admin_user):
    user = User.objects.create_user("logged", "logged@example.vn", "x-secret-1")
    with __import__("audit.rights", fromlist=["acting_user"]).acting_user(admin_user):
        user.is_staff = True
        user.save()
    entry = entries_for(user).latest("timestamp")
    changes = entry.changes

    for who in (office, admin_user):
        client = signed_in(who)
        assert client.get("/admin/auditlog/logentry/").status_code == 200
        assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200  # a view
        assert client.get("/admin/auditlog/logentry/add/").status_code == 403
        client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {"changes": "{}", "action": 2})
        assert client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        client.post("/admin/auditlog/logentry/", {"action": "delete_selected",
                                                 "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.changes == changes


# --- prices, stock and money by hand ------------------------------------------------------------

def test_a_price_changed_by_hand_is_logged_with_before_and_after(admin_user):
    StockRecord = get_model("partner", "StockRecord")
    record = StockRecord.objects.filter(partner__users__email="mocchau.tea@ocop.demo").first()
    client = signed_in(admin_user)
    url = f"/admin/partner/stockrecord/{record.pk}/change/"
    data = form_data(client.get(url).content.decode(), "stockrecord_form")
    old_price = record.price
    data.update({"price": str(int(old_price) + 5000), "_save": "Save"})

    assert client.post(url, data).status_code == 302
    entry = entries_for(record).get()
    assert entry.actor == admin_user
    before, after = entry.changes_dict["price"]
    assert (Decimal(before), Decimal(after)) == (old_price, old_price + 5000)


def test_stock_moved_by_an_order_is_not_logged_as_a_correction():
    from tests.catalog_ext.storefront.test_orders import place_order

    place_order()
    StockRecord = get_model("partner", "StockRecord")
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(StockRecord)).exists()


def test_money_recorded_by_office_staff_is_logged(office):
    from audit.rights import acting_user
    from shop.order import services
    from tests.catalog_ext.storefront.test_orders import place_order

    order = place_order()
    PaymentEvent = get_model("order", "PaymentEvent")
    with acting_user(office):
        services.record_payment(order=order, amount=order.total_incl_tax, reference="VCB-123",
                                source_type="Chuyển khoản")
    event = PaymentEvent.objects.get(order=order)
    entry = entries_for(event).get()
    assert entry.actor == office and entry.changes_dict["reference"] == ["None", "VCB-123"]
    source = get_model("payment", "Source").objects.get(order=order)
    assert entries_for(source).filter(actor=office).exists()
