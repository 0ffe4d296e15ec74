"""Every member gets an account (zhijia.org.actions.accounts): the members created before that rule."""

import secrets

from django.db import migrations


def create_accounts(apps, schema_editor):
    Member = apps.get_model("org", "Member")
    User = apps.get_model("accounts", "User")
    pending = list(
        Member.objects.filter(user__isnull=True).only("pk", "employee_no", "name", "status")
    )
    taken = set(User.objects.values_list("username", flat=True))
    for start in range(0, len(pending), 2000):
        chunk = pending[start : start + 2000]
        users = []
        for member in chunk:
            name = "m." + member.employee_no
            while name in taken:
                name = f"m.{member.employee_no}.{secrets.token_hex(3)}"
            taken.add(name)
            users.append(
                User(
                    username=name,
                    full_name=member.name,
                    password="!" + secrets.token_urlsafe(30),
                    is_active=member.status == "active",
                )
            )
        User.objects.bulk_create(users)
        for member, user in zip(chunk, users):
            member.user_id = user.pk
        Member.objects.bulk_update(chunk, ["user"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_accounts, migrations.RunPython.noop)]
