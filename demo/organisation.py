"""The demo office: a realistic county bureau for trying the system out.

Every seeder here is idempotent: it finds rows by natural keys and creates or updates them, so
running ``seed_demo`` twice leaves the same data. Later apps add their own ``<app>/demo.py``."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from bureau.models import Department, Equipment, Person, ResponsibilityArea, Role, Section, TrainingRecord, User
from bureau.services import person_sync_role

DEMO_PASSWORD = "demo-office-2026"  # noqa: S105 - documented demo accounts, never for production

DEPARTMENTS = ["办公室", "宣传科", "政策法规科", "文化市场管理科", "广播电视科", "旅游发展科"]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    title: str
    department: str
    role: str
    phone: str
    is_spokesperson: bool = False


PEOPLE = [
    DemoPerson("director", "陈立新", "局长", "办公室", Role.DIRECTOR, "13905170001", True),
    DemoPerson("leader", "郁志强", "副局长", "办公室", Role.LEADER, "13905170002", True),
    DemoPerson("lichunhua", "李春华", "副局长", "宣传科", Role.LEADER, "13905170003"),
    DemoPerson("supervisor", "徐明", "办公室主任", "办公室", Role.OFFICE_HEAD, "13905170004", True),
    DemoPerson("staff", "卞瑞华", "网站管理员", "办公室", Role.STAFF, "13905170005"),
    DemoPerson("wangli", "王丽", "科员", "宣传科", Role.STAFF, "13905170006"),
    DemoPerson("zhangwei", "张伟", "科员", "办公室", Role.STAFF, "13905170007"),
    DemoPerson("liuyang", "刘洋", "科员", "文化市场管理科", Role.STAFF, "13905170008"),
    DemoPerson("zhaomin", "赵敏", "科员", "旅游发展科", Role.STAFF, "13905170009"),
    DemoPerson("sunhao", "孙浩", "科员", "广播电视科", Role.STAFF, "13905170010"),
    DemoPerson("zhouting", "周婷", "副科长", "政策法规科", Role.STAFF, "13905170011", True),
    DemoPerson("admin", "钱晓东", "信息化管理员", "办公室", Role.ADMINISTRATOR, "13905170012"),
]

# (site, section name, owner's username, description)
SECTIONS = [
    (Section.Site.WEBSITE, "工作动态", "staff", "本局日常工作新闻"),
    (Section.Site.WEBSITE, "政务公开", "zhouting", "依法主动公开的政府信息"),
    (Section.Site.WEBSITE, "通知公告", "zhangwei", "通知、公示和公告"),
    (Section.Site.WEBSITE, "文旅资讯", "zhaomin", "文化活动与旅游信息"),
    (Section.Site.FORUM, "局长信箱互动区", "staff", "群众来信与局长信箱回复"),
    (Section.Site.FORUM, "民生诉求", "wangli", "投诉、建议和咨询"),
    (Section.Site.FORUM, "文化市场", "liuyang", "网吧、娱乐场所、演出市场相关讨论"),
    (Section.Site.FORUM, "广播电视", "sunhao", "广播电视信号与节目反映"),
]

# (area, overall, lead, executor, description)
RESPONSIBILITY = [
    ("网络舆情宣传管理", "director", "leader", "supervisor", "局长负总责，分管领导牵头，办公室主任具体落实"),
    ("官方网站与论坛", "leader", "supervisor", "staff", "每个版块由一名工作人员分管，论坛每2至3分钟刷新一次"),
    ("网络发言人与舆情回应", "director", "leader", "zhouting", "涉及本局的批评投诉由分管领导亲自处理"),
    ("正面宣传与信息发布", "lichunhua", "supervisor", "wangli", "宣传稿件须经分管领导审批后发布"),
    ("值班与签到", "leader", "supervisor", "zhangwei", "轮班上岗，手机24小时畅通"),
]


def _seed_people() -> dict[str, Person]:
    departments = {}
    for order, name in enumerate(DEPARTMENTS):
        departments[name], _ = Department.objects.update_or_create(name=name, defaults={"sort_order": order})
    people = {}
    for order, spec in enumerate(PEOPLE):
        user, created = User.objects.get_or_create(
            username=spec.username, defaults={"email": f"{spec.username}@bureau.example"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        person, _ = Person.objects.update_or_create(
            user=user,
            defaults={
                "name": spec.name,
                "title": spec.title,
                "department": departments[spec.department],
                "role": spec.role,
                "phone": spec.phone,
                "office_phone": f"0513-8869{order:04d}",
                "is_spokesperson": spec.is_spokesperson,
                "sort_order": order,
            },
        )
        person_sync_role(person=person)
        people[spec.username] = person
    return people


def _seed_structure(people: dict[str, Person]) -> None:
    for order, (site, name, owner, description) in enumerate(SECTIONS):
        Section.objects.update_or_create(
            site=site,
            name=name,
            defaults={"owner": people[owner], "description": description, "sort_order": order},
        )
    for order, (area, overall, lead, executor, description) in enumerate(RESPONSIBILITY):
        ResponsibilityArea.objects.update_or_create(
            name=area,
            defaults={
                "overall": people[overall],
                "lead": people[lead],
                "executor": people[executor],
                "description": description,
                "sort_order": order,
            },
        )


def _seed_resources(people: dict[str, Person], year: int) -> None:
    staff = [p for key, p in people.items() if p.role in (Role.STAFF, Role.OFFICE_HEAD)]
    for number, holder in enumerate(staff[:6], start=1):
        Equipment.objects.update_or_create(
            asset_number=f"WGX-PC-{number:03d}",
            defaults={
                "kind": Equipment.Kind.COMPUTER,
                "name": "联想启天台式电脑",
                "holder": holder,
                "is_online": True,
                "acquired_on": date(year - 2, 3, number),
            },
        )
        Equipment.objects.update_or_create(
            asset_number=f"WGX-CAM-{number:03d}",
            defaults={
                "kind": Equipment.Kind.CAMERA,
                "name": "佳能数码相机",
                "holder": holder,
                "acquired_on": date(year - 1, 5, number),
                "notes": "用于采集新闻线索和现场信息",
            },
        )
    trainings = [
        (
            date(year, 3, 15),
            "网络舆情应对与处置专题培训",
            "县委宣传部网管中心",
            ["supervisor", "staff", "wangli", "zhangwei"],
        ),
        (date(year, 6, 20), "网络发言人业务培训", "县委宣传部", ["leader", "supervisor", "zhouting"]),
        (date(year, 9, 12), "政务公开与信息发布审核培训", "县政府办公室", ["staff", "wangli", "zhouting", "liuyang"]),
    ]
    for held_on, topic, organiser, attendees in trainings:
        record, _ = TrainingRecord.objects.update_or_create(
            held_on=held_on, topic=topic, defaults={"organiser": organiser, "hours": 3}
        )
        record.attendees.set([people[key] for key in attendees])


@transaction.atomic
def seed(*, today: date) -> dict[str, int]:
    """Create or refresh the demo organisation. Returns counts for the command to report."""
    people = _seed_people()
    _seed_structure(people)
    _seed_resources(people, today.year)
    return {
        "people": Person.objects.count(),
        "sections": Section.objects.count(),
        "responsibility areas": ResponsibilityArea.objects.count(),
        "equipment": Equipment.objects.count(),
        "training records": TrainingRecord.objects.count(),
    }
