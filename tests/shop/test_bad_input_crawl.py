"""Bad input everywhere (issue 8): every URL the project serves, as every role, with bad paths,
malformed query strings and fuzzed forms, answers below 500, raises nothing, and changes no data
the role has no business changing.

How it works (tests/shop/crawl/):
- The URLs come from the resolver (`routes.all_routes()`: every pattern, every namespace, the admin
  included), never from a hand-kept list. Each pattern's parameters are filled from the demo data
  (`world.ANCHORS`, the admin's patterns from their ModelAdmin's model) with a row of the role's
  own, a row of someone else's (`ownership.split`) and the bogus values in `world.BOGUS`.
  `test_every_url_pattern_is_crawled` fails when a new pattern appears that the crawler cannot fill
  with a real row: teach `world.ANCHORS` about it, or (only if it truly cannot be crawled) add it to
  SKIPPED below with the reason.
- GET: each path, then, where the page answers 200 as that role, every malformed query string of
  `inputs.query_variants` over the parameter names the page links to, its GET forms ask for and
  `inputs.KNOWN_PARAMS` (huge values, Vietnamese, emoji, RTL, NUL, SQL/HTML/template injection,
  path traversal, wrong-typed numbers, repeated parameters).
- POST: every <form method=post> of every page the role can open is submitted with hypothesis-made
  values per field (`st.text()`, the nasty strings, the field's own value and options), the CSRF
  token included so the form's logic, not the CSRF check, answers; `derandomize=True` and no example
  database make every run the same. Every path is also POSTed with no form at all (empty, nasty
  form-encoded and nasty JSON bodies), which reaches the JSON endpoints and POST-only views.
  Bounded (`make test`), the admin pages of Django's and Oscar's own ModelAdmins are left to the
  full crawl (`make crawl`): `third_party_admin`.
- Unrelated data: every request runs in a savepoint that is rolled back afterwards, so the crawl
  always starts from the same data; before the rollback, checksums (count, max id, hash of every
  column) of the protected tables (`snapshot.PROTECTED`: orders, lines, payments, stock records,
  certificates, GI licences, producers, users, showrooms, shifts, sales…) are compared with those
  taken before, over the rows that are not the role's own (`ownership.mine`). The office roles may
  change the model the view is about and what a delete of it reaches (`snapshot.cascade`), plus the
  few tables listed in `crawler.OFFICE_ALSO_CHANGES`.
Every failure is collected and the test fails at the end with each role, URL and input named.
"""
from __future__ import annotations

import json
import logging
import os
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.shop.crawl import inputs, routes
from tests.shop.crawl.crawler import Crawl, close_streaming, json_bodies, page_text, same_site_path
from tests.shop.crawl.forms import parse
from tests.shop.crawl.world import ROLES, build_world, fills

pytestmark = pytest.mark.django_db

# URL patterns the crawl does not request, each with the reason. Nothing else may be left out.
SKIPPED = {
    # Signing out would end the crawl's session: test_signing_out_with_bad_input covers them.
    "customer:logout": "ends the session",
    "dashboard:logout": "ends the session",
    "admin:logout": "ends the session",
    "pos:logout": "ends the session",
}
# Field values sent as they are: the CSRF token (the form's logic must answer, not the CSRF check).
KEPT_FIELDS = {"csrfmiddlewaretoken"}
FORM_EXAMPLES = 2 if os.environ.get("OCOP_CRAWL", "") == "full" else 1  # hypothesis examples per form and role
SHOW = 60  # failures listed in the message
GET_BATCH = 25  # URL patterns whose GETs share one savepoint and one data check (re-run alone on a change)


# Bounded by default (`make test`): per pattern two of the bogus values and two malformed query
# strings, rotated from one pattern to the next so the crawl as a whole sends all of them.
# OCOP_CRAWL=full sends every bogus value and query string to every pattern (about 10x longer).
FULL = os.environ.get("OCOP_CRAWL", "") == "full"
ONLY = os.environ.get("OCOP_CRAWL_ONLY", "")  # a substring of the routes to crawl, when debugging one


def crawled_routes():
    return [route for route in routes.all_routes()
            if route.name not in SKIPPED and ONLY in f"{route.name} /{route.regex}"]


def admin_closed_to(crawl, route) -> bool:
    """The admin answers every page with the same login redirect to a role that is not staff: one
    real path per pattern is enough there."""
    return route.regex.startswith("admin/") and not getattr(crawl.user, "is_staff", False)


def paths_of(crawl, index, route, kinds=("plain", "own", "other", "bogus")):
    found = [f for f in fills(route, crawl.user, seed=index, full=FULL) if f.kind in kinds]
    return found[:1] if admin_closed_to(crawl, route) else found


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """The world, built once for the module (building it took 3-10 s, and the module has 20 tests)
    in a transaction rolled back at the module's end; each test runs in a savepoint inside it
    (pytest-django's `db`), rolled back after the test, as Django's TestCase.setUpTestData does."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world, db):
    logging.disable(logging.CRITICAL)  # thousands of expected 404/403 warnings would drown the output
    yield built_world
    logging.disable(logging.NOTSET)


def crawl_for(role, world) -> Crawl:
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    client.get("/")  # the CSRF cookie, as a browser has it before it posts
    return Crawl(role=role, user=user, client=client)


def report(crawl: Crawl, started: float):
    elapsed = time.monotonic() - started
    print(f"\n[{crawl.role}] {crawl.requests} requests in {elapsed:.1f} s "
          f"({crawl.request_seconds:.1f} s in the requests); known third-party bugs hit: {sorted(crawl.known)}")
    assert not crawl.failures, (f"{len(crawl.failures)} failures in {crawl.requests} requests:\n"
                                + "\n".join(crawl.failures[:SHOW]))


def test_every_url_pattern_is_crawled(world):
    """A new URL pattern must be taught to the crawler (world.ANCHORS) or skipped with a reason."""
    known = {route.name for route in routes.all_routes()}
    assert not set(SKIPPED) - known, f"SKIPPED names patterns that no longer exist: {set(SKIPPED) - known}"
    unfilled = []
    for route in crawled_routes():
        kinds = {fill.kind for role in ROLES for fill in fills(route, world.user(role))}
        if not kinds & {"plain", "own", "other"}:
            unfilled.append(route.label)
    assert not unfilled, ("the crawler cannot fill these URL patterns with real values; add them to "
                          "tests/shop/crawl/world.py ANCHORS (or SKIPPED, with the reason):\n" + "\n".join(unfilled))


# The superuser's crawl (the whole admin, with every right) is as long as all the other roles'
# together: it is its own module (test_bad_input_crawl_superuser.py), so that under pytest-xdist it
# runs on one worker while these run on the other.
ROLES_HERE = tuple(role for role in ROLES if role != "superuser")


@pytest.mark.parametrize("role", ROLES_HERE)
def test_get_every_url_with_bad_paths_and_query_strings(role, world):
    get_crawl(role, world)


def get_crawl(role, world):
    crawl, started = crawl_for(role, world), time.monotonic()
    visits = []
    for index, route in enumerate(crawled_routes()):
        def visit(route=route, index=index):
            opened = False  # bogus values go only where the real ones reach the view
            for fill in paths_of(crawl, index, route):
                if fill.kind == "bogus" and not opened:
                    break
                response = crawl.request("get", fill.path, f"{route.name} {fill.kind}")
                opened = opened or reached_view(response)
                html = page_text(response) if fill.kind in ("plain", "own", "other") else None
                if html is not None and reads_query(route):
                    _forms, linked = parse(html, fill.path)
                    for query in inputs.query_variants(linked | set(inputs.KNOWN_PARAMS), seed=index, full=FULL):
                        crawl.request("get", f"{fill.path}?{query}", f"{route.name} {fill.kind} query")
                if response is not None and response.streaming:
                    close_streaming(response)
            return f"GET {route.label}"
        visits.append((route, visit))
    for start in range(0, len(visits), GET_BATCH):
        crawl.isolated_together(visits[start:start + GET_BATCH])
    report(crawl, started)


def reached_view(response) -> bool:
    """False for a login redirect or a 403: the role never got past the door."""
    if response is None or response.status_code == 403:
        return False
    return not (response.status_code == 302 and "login" in response.get("Location", ""))


def reads_json(route) -> bool:
    """The views that read a JSON body: the counter's API and the Stripe webhook."""
    return "/api/" in f"/{route.regex}" or "webhook" in route.regex


def reads_query(route) -> bool:
    """Malformed query strings go to every page except the admin's object pages (add, change,
    history, delete: Django's own code, which reads only the changelist's filters) to keep the
    crawl within minutes; the admin's lists, index and every page of ours get them all."""
    return not (route.regex.startswith("admin/") and route.params and "object_id" in route.params)


def field_values(field):
    options = [field.value, *field.options]
    nasty = st.sampled_from(inputs.NASTY)
    if field.kind == "file":
        return st.one_of(
            st.sampled_from([b"sku,num_in_stock\nCF-001,-5\n", b"\xff\xfe\x00\x00bad", "ạ,\x00\n".encode()]).map(
                lambda body: SimpleUploadedFile("../../etc/passwd.csv", body, content_type="text/csv")),
            st.just(None).map(lambda _: SimpleUploadedFile("bom.png", inputs.image_bomb(), content_type="image/png")))
    return st.one_of(nasty, st.text(max_size=40), st.sampled_from(options))


def fuzz_form(crawl, route, fill, form):
    action = same_site_path(form.action)
    if action is None or any(part in action for part in ("/logout", "/accounts/logout")):
        return
    fields = [f for f in form.fields if f.name not in KEPT_FIELDS and f.kind not in ("submit", "button", "image", "reset")]
    buttons = [f for f in form.fields if f.kind in ("submit", "button", "image")]

    @settings(max_examples=FORM_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.data())
    def submit(data):
        payload = {f.name: data.draw(field_values(f), label=f.name) for f in fields}
        if buttons:
            button = data.draw(st.sampled_from(buttons), label="button")
            payload[button.name] = button.value
        payload["csrfmiddlewaretoken"] = crawl.csrf_token()
        shown = {k: (v[:40] if isinstance(v, str) else v) for k, v in payload.items() if k not in KEPT_FIELDS}

        def post():
            crawl.request("post", action, f"{route.name} {fill.kind} form {shown!r}", data=payload)
            return f"POST {action} ({route.name} form {shown!r})"
        crawl.isolated(route, post, fill)

    submit()


def test_bounded_the_post_crawl_leaves_out_only_the_admin_pages_of_djangos_and_oscars_own_model_admins():
    left_out = [route for route in crawled_routes() if third_party_admin(route)]
    assert all(route.regex.startswith("admin/") for route in left_out)
    left_out = {route.name for route in left_out}
    assert {"admin:auth_user_change", "admin:auth_group_add", "admin:catalogue_product_change"} <= left_out
    assert not left_out & {"admin:catalog_ext_certificate_change", "admin:settlement_payout_change",
                           "admin:partner_stockrecord_change", "admin:index"}


@pytest.mark.parametrize("role", ROLES_HERE)
def test_post_every_form_and_every_url_with_bad_input(role, world):
    post_crawl(role, world)


def third_party_admin(route) -> bool:
    """An admin page whose ModelAdmin is Django's or Oscar's own, not this project's (auth.User,
    auth.Group, catalogue.Product, offer.Range…). Bounded, the POST crawl leaves their forms to the
    full crawl (`make crawl`): they were a third of the superuser's POST crawl, the longest test of
    `make test`, for code this project does not write. The GET crawl still opens them with bad
    paths and query strings, and the forms of every ModelAdmin of ours are posted."""
    model_admin = route.model_admin
    return model_admin is not None and type(model_admin).__module__.startswith(("django.", "oscar."))


def post_crawl(role, world):
    crawl, started = crawl_for(role, world), time.monotonic()
    bodies = json_bodies(("code", "quantity", "product", "amount", "reason", "phone", "basket", "version",
                          "cash_tendered", "vietqr_amount", "vietqr_confirmed", "card_amount", "card_reference"),
                         ["' OR 1=1--", -1, 10**30, "1e309", None, [], {"a": 1}, "nul\x00", inputs.HUGE, "no"])
    # issue 20: a transfer "confirmed" with a string ("no" was taken as true)
    bodies.append(json.dumps({"vietqr_amount": 1000, "vietqr_confirmed": "no", "basket": 1, "version": 1}))
    for index, route in enumerate(crawled_routes()):
        if not FULL and third_party_admin(route):
            continue
        for fill in paths_of(crawl, index, route, kinds=("plain", "own", "other")):
            response = crawl.request("get", fill.path, f"{route.name} {fill.kind}")
            html = page_text(response)
            if html is not None:
                forms, _linked = parse(html, fill.path)
                for form in forms:
                    if form.method == "post":
                        fuzz_form(crawl, route, fill, form)
            elif response is not None and response.streaming:
                close_streaming(response)
            if response is None or response.status_code not in (200, 204, 405):
                continue  # a login redirect or 403 for GET is the same for POST: the GET crawl saw it
            token = {"HTTP_X_CSRFTOKEN": crawl.csrf_token()}

            def bare_posts(fill=fill, route=route, token=token):
                crawl.request("post", fill.path, f"{route.name} {fill.kind} empty", **token)
                crawl.request("post", fill.path, f"{route.name} {fill.kind} nasty form",
                              data={name: inputs.NASTY[i % len(inputs.NASTY)]
                                    for i, name in enumerate(inputs.KNOWN_PARAMS)}, **token)
                for body in (bodies if reads_json(route) else ()):
                    crawl.request("post", fill.path, f"{route.name} {fill.kind} json {body[:60]!r}", data=body,
                                  content_type="application/json", **token)
                return f"POST {fill.path} ({route.name}, bare)"
            crawl.isolated(route, bare_posts, fill)
    report(crawl, started)


@pytest.mark.parametrize("path", ["/accounts/logout/", "/dashboard/logout/", "/admin/logout/", "/pos/logout/"])
def test_signing_out_with_bad_input_signs_out_and_answers_below_500(path, world):
    for query in inputs.query_variants(["next"])[:6]:
        client = Client(raise_request_exception=True)
        client.force_login(world.user("superuser"))  # the admin's sign-out is for staff only
        answer = client.post(f"{path}?{query}", {"next": "//evil.example/<script>"})
        if answer.status_code == 405:
            answer = client.get(f"{path}?{query}")
        assert answer.status_code < 500, (path, query[:80])
        assert SESSION_KEY not in client.session, f"{path} did not sign out"
        location = answer.get("Location", "")
        assert "evil.example" not in location, f"{path} redirected off-site: {location}"


def test_the_crawl_notices_a_change_to_rows_that_are_not_the_roles_own(world):
    """The check behind every request above: a write to another producer's stock fails, a write to
    the role's own passes, and either is rolled back."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    crawl = crawl_for("producer", world)
    route = next(r for r in routes.all_routes() if r.name == "dashboard:producer-stock")
    theirs = StockRecord.objects.exclude(partner__users=crawl.user).order_by("pk").first()
    own = StockRecord.objects.filter(partner__users=crawl.user).order_by("pk").first()

    def write(record):
        def do():
            StockRecord.objects.filter(pk=record.pk).update(num_in_stock=record.num_in_stock + 7)
            return f"write to stock record {record.pk}"
        return do

    crawl.isolated(route, write(own))
    assert crawl.failures == []
    crawl.isolated(route, write(theirs))
    assert crawl.failures == [f"[producer] write to stock record {theirs.pk} changed partner.StockRecord "
                              "rows that are not producer's to change"]
    assert StockRecord.objects.get(pk=theirs.pk).num_in_stock == theirs.num_in_stock
    # Checked together, as the GET crawl does: the write is found and named alone.
    crawl.failures.clear()
    crawl.isolated_together([(route, write(own)), (route, write(theirs)), (route, write(own))])
    assert crawl.failures == [f"[producer] write to stock record {theirs.pk} changed partner.StockRecord "
                              "rows that are not producer's to change"]
    crawl.failures.clear()
    crawl.isolated_together([(route, write(own)), (route, write(own))])
    assert crawl.failures == []


def test_on_postgresql_only_a_request_that_wrote_a_protected_table_is_checked_by_snapshots(world, monkeypatch,
                                                                                            postgres):
    """The crawl's fast path (crawler._wrote_nothing_protected): a request that wrote no protected
    table costs no snapshot; one that wrote one is run again between snapshots, which still name
    the change (the test above) or let the role's own pass."""
    from oscar.core.loading import get_model

    from tests.shop.crawl import snapshot

    StockRecord = get_model("partner", "StockRecord")
    taken = []
    real = snapshot.snapshot
    monkeypatch.setattr(snapshot, "snapshot", lambda *args, **kwargs: taken.append(args) or real(*args, **kwargs))
    crawl = crawl_for("producer", world)
    route = next(r for r in routes.all_routes() if r.name == "dashboard:producer-stock")
    own = StockRecord.objects.filter(partner__users=crawl.user).order_by("pk").first()
    ran = []

    def read_only():
        ran.append("read")
        crawl.request("get", "/dashboard/producer/stock/", "read only")
        return "read only"

    def write_own():
        ran.append("write")
        StockRecord.objects.filter(pk=own.pk).update(num_in_stock=own.num_in_stock + 1)
        return "write own"

    crawl.isolated(route, read_only)
    assert (taken, ran, crawl.failures) == ([], ["read"], [])
    crawl.isolated(route, write_own)
    assert (len(taken), ran[1:], crawl.failures) == (2, ["write", "write"], [])
    crawl.isolated_together([(route, read_only), (route, read_only)])
    assert (len(taken), ran[3:]) == (2, ["read", "read"])
