"""Demo data for `make demo`: one login per role and the first heads of every body.

Names of people here are invented; they stand in for the real heads until staff enter them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from kezdesu.core.audit import audit_record, snapshot
from kezdesu.registry.models import Body, Head, Region
from kezdesu.users.models import Membership, Role, User

DEMO_PASSWORD = "kezdesu-demo-2026"

_FIRST = [("Ерлан", "Yerlan"), ("Айгүл", "Aigul"), ("Нұрлан", "Nurlan"), ("Сәуле", "Saule"), ("Бауыржан", "Baurzhan"),
          ("Динара", "Dinara"), ("Асхат", "Askhat"), ("Жанар", "Zhanar"), ("Марат", "Marat"), ("Гүлнар", "Gulnar"),
          ("Серік", "Serik"), ("Әсем", "Assem"), ("Қайрат", "Kairat"), ("Ләззат", "Lazzat"), ("Талғат", "Talgat")]
_LAST = [("Сейітов", "Seitov"), ("Омарова", "Omarova"), ("Жұмабаев", "Zhumabayev"), ("Тоқтарова", "Toktarova"),
         ("Әбдіров", "Abdirov"), ("Қасымова", "Kassymova"), ("Нұрғалиев", "Nurgaliyev"), ("Бекова", "Bekova"),
         ("Ахметов", "Akhmetov"), ("Сұлтанова", "Sultanova"), ("Ибраев", "Ibrayev"), ("Мұратова", "Muratova")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


def _user(*, username: str, first: str, last: str, role: str, body=None, region=None, superuser=False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@kezdesu.local",
                    is_staff=superuser, is_superuser=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit_record(actor=None, action="user.create", obj=user, before=None, after=snapshot(user), comment="demo")
    if not Membership.objects.filter(user=user, active=True).exists():
        m = Membership.objects.create(user=user, role=role, body=body, region=region)
        audit_record(actor=None, action="membership.create", obj=m, before=None, after=snapshot(m), comment="demo")
    return user


def _heads(rng: random.Random) -> None:
    for body in Body.objects.order_by("slug"):
        if body.heads.exists():
            continue
        (fk, fe), (lk, le) = rng.choice(_FIRST), rng.choice(_LAST)
        start = body.valid_from
        head = Head.objects.create(
            body=body, full_name_kk=f"{lk} {fk}", full_name_ru=f"{lk} {fk}", full_name_en=f"{fe} {le}",
            position_kk="Министр", position_ru="Министр", position_en="Minister", start=start,
        )
        audit_record(actor=None, action="head.create", obj=head, before=None, after=snapshot(head), comment="demo")
        (fk, fe), (lk, le) = rng.choice(_FIRST), rng.choice(_LAST)
        deputy = Head.objects.create(
            body=body, full_name_kk=f"{lk} {fk}", full_name_ru=f"{lk} {fk}", full_name_en=f"{fe} {le}",
            position_kk="Вице-министр", position_ru="Вице-министр", position_en="Vice minister",
            is_first_head=False, start=start,
        )
        audit_record(actor=None, action="head.create", obj=deputy, before=None, after=snapshot(deputy),
                     comment="demo")


@transaction.atomic
def demo_load(*, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo accounts and heads (idempotent); returns one login per role."""
    rng = random.Random(seed)
    _heads(rng)
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    accounts = [
        dict(username="admin", first="Әлия", last="Серікқызы", role=Role.AUTHORIZED_ADMIN, superuser=True),
        dict(username="analyst", first="Дәурен", last="Абенов", role=Role.AUTHORIZED_ANALYST),
        dict(username="health", first="Мадина", last="Қалиева", role=Role.BODY_COORDINATOR, body=health),
        dict(username="akimat-turkistan", first="Бекзат", last="Оспанов", role=Role.AKIMAT_COORDINATOR,
             region=turkistan),
        dict(username="government", first="Ержан", last="Тұрсынов", role=Role.GOVERNMENT_VIEWER),
        dict(username="moderator", first="Аружан", last="Сапарова", role=Role.MODERATOR),
    ]
    logins = []
    for spec in accounts:
        _user(**spec)
        scope = (spec.get("body") or spec.get("region") or "")
        logins.append(DemoLogin(spec["username"], str(spec["role"].label), scope.name_en if scope else ""))
    return logins


