"""Fill a scratch database with large, synthetic data sets for benchmarks and load tests.

    python manage.py generate_load --people 2000 --notifications 200000
    python manage.py generate_load --publicity-posts 50000 --dry-run -v 2

Everything is written with ``bulk_create`` in one transaction: all or nothing. ``--dry-run`` does
all the work and rolls it back, so it also tells how long a load takes. The rows are synthetic:
they bypass the services, so they write no archive records and send no e-mail (every generated
notification is already e-mailed). Refuses to run in production (DEBUG=0) unless given ``--force``: the load
logins share one known password (``LOAD_PASSWORD``).

The organisation's loads (``--people``, ``--notifications``) are built here. Each app has its
own in ``demo/load/<app>.py`` with ``add_arguments(parser)`` (an argument group of ``--<app>-...``
options) and ``generate(*, options, stdout) -> dict[str, int]``; an app's loader runs when at
least one of its options is given (the others take their defaults), or for all apps with ``--all``.
"""

import random
import secrets
import time
from argparse import ArgumentTypeError
from datetime import timedelta
from types import ModuleType

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from bureau import clock
from bureau.models import Department, Notification, Person, Role, RoleGroup, User
from demo.load import assignments as assignments_load
from demo.load import opinions as opinions_load
from demo.load import publicity as publicity_load

# The apps' loaders, in the order they run.
APP_LOADERS = [opinions_load, assignments_load, publicity_load]

LOAD_PASSWORD = "load-office-2026"  # noqa: S105 - synthetic load logins only; the command refuses production
LOAD_DEPARTMENT = "负载测试科"
BATCH_SIZE = 2_000

# Mostly staff, a few office heads and leaders, one director in a hundred; no administrators.
ROLE_WEIGHTS = {Role.STAFF: 85, Role.OFFICE_HEAD: 8, Role.LEADER: 6, Role.DIRECTOR: 1}


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ArgumentTypeError("must be zero or more")
    return value


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


class Command(BaseCommand):
    help = "Fill the database with large synthetic data sets (bulk_create) for benchmarks and load tests."

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loaders: dict[str, tuple[ModuleType, dict[str, object]]] = {}

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_argument_group("organisation")
        group.add_argument("--people", type=_count, default=0, metavar="N", help="people, each with a login")
        group.add_argument(
            "--notifications", type=_count, default=0, metavar="N", help="notifications, spread over the logins"
        )
        parser.add_argument("--all", action="store_true", help="also run every app loader with its defaults")
        parser.add_argument("--dry-run", action="store_true", help="build everything, then roll it back")
        parser.add_argument("--seed", type=int, default=7, help="random seed, for repeatable data (default 7)")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        for module in APP_LOADERS:
            before = len(parser._actions)
            module.add_arguments(parser)
            # Remember the app's defaults, and make "not given" visible as None.
            defaults = {}
            for action in parser._actions[before:]:
                defaults[action.dest] = action.default
                action.default = None
            self.loaders[module.__name__] = (module, defaults)

    def handle(self, *args, **options) -> None:
        if not settings.LOCAL and not options["force"]:
            raise CommandError("DEBUG=0: this looks like production. Use --force if it really is a scratch database.")
        verbosity: int = options["verbosity"]
        chosen = [
            (
                name,
                module,
                {dest: default if options.get(dest) is None else options[dest] for dest, default in defaults.items()},
            )
            for name, (module, defaults) in self.loaders.items()
            if options["all"] or any(options.get(dest) is not None for dest in defaults)
        ]
        if not (options["people"] or options["notifications"] or chosen):
            raise CommandError("Nothing to generate: give --people, --notifications, an app's option or --all.")

        started = time.perf_counter()
        counts: dict[str, int] = {}
        try:
            with transaction.atomic():
                rng = random.Random(options["seed"])
                run = secrets.token_hex(3)  # keeps this run's usernames and keys apart from earlier runs
                users: list[User] = []
                if options["people"]:
                    users = self._people(options["people"], run=run, rng=rng, verbosity=verbosity)
                    counts["people"] = len(users)
                if options["notifications"]:
                    counts["notifications"] = self._notifications(
                        options["notifications"], run=run, users=users, rng=rng, verbosity=verbosity
                    )
                for name, module, app_options in chosen:
                    step = time.perf_counter()
                    for label, count in module.generate(options=app_options, stdout=None).items():
                        counts[f"{name.split('.')[0]}: {label}"] = count
                    if verbosity >= 2:
                        self.stdout.write(f"{name}: {time.perf_counter() - step:.1f} s")
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass

        if verbosity >= 1:
            seconds = time.perf_counter() - started
            outcome = "would be created (dry run, rolled back)" if options["dry_run"] else "created"
            for label, count in counts.items():
                self.stdout.write(f"{label}: {count}")
            self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} rows {outcome} in {seconds:.1f} s"))

    def _people(self, count: int, *, run: str, rng: random.Random, verbosity: int) -> list[User]:
        """People with logins in their role's group; the password hash is computed once for all."""
        step = time.perf_counter()
        password = make_password(LOAD_PASSWORD)
        department, _ = Department.objects.get_or_create(name=LOAD_DEPARTMENT, defaults={"sort_order": 999})
        users = User.objects.bulk_create(
            [
                User(username=f"load-{run}-{index}", email=f"load-{run}-{index}@load.invalid", password=password)
                for index in range(count)
            ],
            batch_size=BATCH_SIZE,
        )
        roles = rng.choices(list(ROLE_WEIGHTS), weights=list(ROLE_WEIGHTS.values()), k=count)
        Person.objects.bulk_create(
            [
                Person(
                    user=user,
                    name=f"负载人员{run}-{index}",
                    department=department,
                    role=role,
                    phone=f"199{rng.randrange(10**8):08d}",
                    sort_order=1000,
                )
                for index, (user, role) in enumerate(zip(users, roles, strict=True))
            ],
            batch_size=BATCH_SIZE,
        )
        groups = dict(Group.objects.filter(name__in=RoleGroup.ALL).values_list("name", "pk"))
        if len(groups) != len(RoleGroup.ALL):
            raise CommandError("The role groups are missing: run the migrations first.")
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [
                Membership(user_id=user.pk, group_id=groups[RoleGroup.FOR_ROLE[role]])
                for user, role in zip(users, roles, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        if verbosity >= 2:
            self.stdout.write(f"people: {count} in {time.perf_counter() - step:.1f} s")
        return users

    def _notifications(self, count: int, *, run: str, users: list[User], rng: random.Random, verbosity: int) -> int:
        """Notices over the last 90 days, all already e-mailed (the sweep finds nothing), most read."""
        step = time.perf_counter()
        recipients = [user.pk for user in users] or list(
            User.objects.filter(is_active=True).values_list("pk", flat=True)
        )
        if not recipients:
            raise CommandError("Notifications need logins: add --people or run seed_demo first.")
        now = clock.now()
        created = 0
        for start in range(0, count, BATCH_SIZE):
            batch = []
            for index in range(start, min(start + BATCH_SIZE, count)):
                created_at = now - timedelta(seconds=rng.randrange(90 * 24 * 3600))
                emailed_at = created_at + timedelta(seconds=rng.randrange(1, 120))
                batch.append(
                    Notification(
                        recipient_id=rng.choice(recipients),
                        kind="load",
                        dedupe_key=f"load:{run}:{index}",
                        title=f"负载测试通知 {index}",
                        body="这是一条用于性能测试的通知。",
                        created_at=created_at,
                        email_claimed_at=emailed_at,
                        emailed_at=emailed_at,
                        read_at=emailed_at + timedelta(hours=rng.randrange(1, 48)) if rng.random() < 0.7 else None,
                    )
                )
            Notification.objects.bulk_create(batch)
            created += len(batch)
            if verbosity >= 3:
                self.stdout.write(f"notifications: {created}/{count}")
        if verbosity >= 2:
            self.stdout.write(f"notifications: {count} in {time.perf_counter() - step:.1f} s")
        return created
