"""Create the six prohibited-content lists and the watch list with a starting set of keywords.

Lists that already exist (matched by code) are left as the administrators edited them.
Reversing removes only lists that still have exactly the starting keywords."""

from django.db import migrations
from django.db.models.functions import Now

LISTS = [
    ("gambling", "赌博", "prohibited", ["赌博", "网络赌场", "百家乐", "六合彩", "私彩", "赌球", "博彩网站"]),
    ("pornography", "色情", "prohibited", ["色情", "黄色网站", "裸聊", "招嫖", "成人视频"]),
    ("violence", "暴力", "prohibited", ["砍人", "血腥暴力", "报复社会", "暴力袭击", "杀人"]),
    ("guns", "枪支", "prohibited", ["枪支", "枪枝", "仿真枪", "气枪出售", "子弹出售", "手枪"]),
    ("drugs", "毒品", "prohibited", ["毒品", "冰毒", "海洛因", "大麻", "摇头丸", "K粉"]),
    ("defamation", "诽谤", "prohibited", ["诽谤", "造谣", "人肉搜索"]),
    ("watch", "涉及本局", "watch", ["文广旅局", "文化广电和旅游局", "文旅局", "局长信箱", "广电局"]),
]


def create_lists(apps, schema_editor):
    ScreeningCategory = apps.get_model("opinions", "ScreeningCategory")
    for order, (code, name, purpose, keywords) in enumerate(LISTS):
        if not ScreeningCategory.objects.filter(code=code).exists():
            ScreeningCategory.objects.create(
                code=code,
                name=name,
                purpose=purpose,
                keywords="\n".join(keywords),
                sort_order=order,
                updated_at=Now(),
            )


def remove_lists(apps, schema_editor):
    ScreeningCategory = apps.get_model("opinions", "ScreeningCategory")
    for code, _name, _purpose, keywords in LISTS:
        ScreeningCategory.objects.filter(code=code, keywords="\n".join(keywords)).delete()


class Migration(migrations.Migration):
    dependencies = [("opinions", "0003_periodic_jobs")]

    operations = [migrations.RunPython(create_lists, remove_lists)]
