"""Member-home to-dos of module assistance (see zhijia.core.home)."""

from zhijia.assistance.queries import applications as queries_applications
from zhijia.core.home import Todo


def todos(user):
    for item in queries_applications.member_home_items(user):
        yield Todo(item["label"], item["url"], item["detail"], urgent=item["urgent"])
