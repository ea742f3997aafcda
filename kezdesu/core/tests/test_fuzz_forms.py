"""Random values posted to every form of the staff back office and the portal: never a server error.

The forms are found the way a browser finds them: each role opens its pages, every <form> on them is
read (action, method, fields, the options of its selects), and Hypothesis fills the fields with values
from the options, the page's own values, and hostile ones (huge and negative numbers, impossible dates,
long and odd Unicode text). The Django test client raises any exception a view lets out, so a server
error fails the test with its traceback. Bounded (a few examples per form, derandomised) to run in CI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kezdesu.compliance.rules import Quarter
from kezdesu.meetings.tests.factories import at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.reports.tests.factories import ProcedureDocumentFactory, held_meeting
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
EXAMPLES = 6
# Signing out would end the role's session in the middle of the run; the language switch is not a form
# of ours; an upload starts the import in a thread of its own, which cannot see a test's uncommitted data
# (the import's own tests feed it hostile files).
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/", "/staff/tension/import/")

HOSTILE = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "2147483648", "9223372036854775808", "1" * 60, "1e309", "NaN",
                     "0000-00-00", "9999-12-31", "2026-02-30", "2026-13-01T25:61", "-2026-01-01", "x" * 5000,
                     "=HYPERLINK(\"http://evil.example\")", "<script>alert(1)</script>", "' OR 1=1 --",
                     "\u202e\u200b\ufeff", "Ә" * 300, "\x0b\x1f", "%00", "../../etc/passwd", "on", "true"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values seen (options, defaults)
    files: set[str] = field(default_factory=set)


class _Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.form, self.select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self.form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None or not a.get("name") or a.get("name") == "csrfmiddlewaretoken":
            return
        elif tag == "input":
            if a.get("type") == "file":
                self.form.files.add(a["name"])
            else:
                self.form.fields.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag in ("textarea", "select"):
            self.form.fields.setdefault(a["name"], [])
            self.select = a["name"] if tag == "select" else None
        elif tag == "option" and self.select:
            self.form.fields[self.select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def forms_on(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    assert response.status_code < 500
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms(url)
    parser.feed(response.content.decode())
    return [f for f in parser.forms if urlsplit(f.action).path.startswith("/")
            and not urlsplit(f.action).path.startswith(SKIP_ACTIONS)]


def values_for(form: Form):
    strategies = {name: st.one_of(st.sampled_from(seen), HOSTILE) if seen else HOSTILE
                  for name, seen in form.fields.items()}
    files = {name: st.binary(max_size=300).map(
        lambda data, n=name: SimpleUploadedFile(f"{n}.csv", data, content_type="text/csv"))
        for name in form.files}
    return st.fixed_dictionaries({}, optional={**strategies, **files})


def fuzz(client: Client, form: Form) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values_for(form))
    def post(data):
        path = urlsplit(form.action).path
        if form.method == "post":
            response = client.post(path, data, REMOTE_ADDR="203.0.113.99")
        else:
            response = client.get(path, {k: v for k, v in data.items() if isinstance(v, str)})
        assert response.status_code < 500, (form.action, data, response.status_code)

    post()


@pytest.fixture
def world(reference):
    """Meetings in every state a form acts on, a plan, a procedure, and one user of each role."""
    from kezdesu.meetings.services import meeting_create, meeting_transition

    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    minister = HeadFactory(body=health, start=dt.date(2024, 1, 1))
    users = {role: staff(role) for role in (Role.AUTHORIZED_ADMIN, Role.AUTHORIZED_ANALYST, Role.MODERATOR,
                                            Role.GOVERNMENT_VIEWER)}
    users[Role.BODY_COORDINATOR] = staff(Role.BODY_COORDINATOR, body=health)
    users[Role.AKIMAT_COORDINATOR] = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    coordinator, akimat = users[Role.BODY_COORDINATOR], users[Role.AKIMAT_COORDINATOR]
    reported = held_meeting(body=health, head=minister, region=turkistan, day=dt.date(2026, 8, 12),
                            coordinator=coordinator, akimat=akimat, attendance=100,
                            questions=[("under_control", "Емхана қашан салынады?")],
                            commitments=[("Жолды жөндеу", dt.date(2027, 3, 1), False)])
    future = dt.date.today() + dt.timedelta(days=40)
    meetings = {"reported": reported}
    for name, path in (("draft", ()), ("proposed", ("proposed",)), ("agreed", ("proposed", "agreed")),
                       ("announced", ("proposed", "agreed", "announced"))):
        meeting = meeting_create(actor=coordinator, body=health, head=minister, region=turkistan,
                                 settlement="Түркістан қ.", venue="Мәдениет үйі", starts_at=at(future))
        for target in path:
            meeting = meeting_transition(actor=akimat if target == "agreed" else coordinator, meeting=meeting,
                                         target=target)
        meetings[name] = meeting
    meetings["announced"].capacity = 50
    meetings["announced"].save(update_fields=["capacity"])
    ProcedureDocumentFactory(version=1)
    return users, meetings


def pages(meetings) -> dict[str, list[str]]:
    detail = [f"/staff/meetings/{m.pk}/" for m in meetings.values()]
    quarter = Quarter.of(dt.date(2026, 8, 12))
    return {
        Role.BODY_COORDINATOR: ["/staff/", "/staff/meetings/", "/staff/meetings/new/",
                                f"/staff/meetings/{meetings['draft'].pk}/edit/", *detail, "/staff/reports/",
                                f"/staff/reports/quarterly/health/{quarter}/", "/staff/reports/procedure/1/",
                                "/staff/plans/", "/staff/tension/", "/staff/questions/"],
        Role.AKIMAT_COORDINATOR: ["/staff/meetings/", *detail],
        Role.AUTHORIZED_ADMIN: ["/staff/", "/staff/plans/", "/staff/reports/", "/staff/reports/procedure/new/",
                                "/staff/tension/", "/staff/tension/import/", "/staff/questions/moderation/",
                                "/staff/audit/", "/staff/registry/"],
        Role.AUTHORIZED_ANALYST: ["/staff/", "/staff/reports/", "/staff/plans/"],
        Role.MODERATOR: ["/staff/questions/moderation/"],
        Role.GOVERNMENT_VIEWER: ["/staff/reports/", "/staff/plans/"],
        None: ["/kk/", "/kk/meetings/", f"/kk/meetings/{meetings['announced'].pk}/",
               f"/kk/meetings/{meetings['announced'].pk}/ask/", f"/kk/meetings/{meetings['announced'].pk}/register/",
               "/kk/track/", "/kk/commitments/", "/kk/open-data/", "/accounts/login/"],
    }


def test_no_form_answers_with_a_server_error(world):
    users, meetings = world
    fuzzed = set()
    for role, urls in pages(meetings).items():
        client = Client()
        if role is not None:
            client.force_login(users[role])
        for url in urls:
            for form in forms_on(client, url):
                key = (role, urlsplit(form.action).path, form.method, tuple(sorted(form.fields)))
                if key in fuzzed:
                    continue
                fuzzed.add(key)
                fuzz(client, form)
    posted = {path for _, path, method, _ in fuzzed if method == "post"}
    # The run must have reached the forms that write, not only the filters.
    assert f"/kk/meetings/{meetings['announced'].pk}/ask/" in posted
    assert f"/staff/meetings/{meetings['draft'].pk}/edit/" in posted
    assert "/staff/meetings/new/" in posted and "/accounts/login/" in posted
    assert len(posted) >= 12, sorted(posted)
