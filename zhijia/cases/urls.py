from django.urls import path

from zhijia.cases.views import box, grievances, knowledge, mediation, routing

app_name = "cases"

urlpatterns = [
    # workers
    path("", grievances.mine, name="mine"),
    path("new/", grievances.create, name="grievance-create"),
    # the anonymous box (no sign-in needed; the session is never read)
    path("box/", box.box, name="box"),
    path("box/follow/", box.follow, name="box-follow"),
    path("box/message/", box.message, name="box-message"),
    path("box/rate/", box.rate, name="box-rate"),
    # staff
    path("queue/", grievances.queue, name="queue"),
    path("queue/export/", grievances.queue_export, name="queue-export"),
    path("department/", grievances.department_queue, name="department-queue"),
    path("routing/", routing.routing_list, name="routing-list"),
    path("routing/<int:rule_id>/delete/", routing.routing_delete, name="routing-delete"),
    # one grievance
    path("<int:grievance_id>/", grievances.detail, name="grievance-detail"),
    path("<int:grievance_id>/info/", grievances.add_info, name="grievance-info"),
    path("<int:grievance_id>/rate/", grievances.rate, name="grievance-rate"),
    path("<int:grievance_id>/withdraw/", grievances.withdraw, name="grievance-withdraw"),
    path("<int:grievance_id>/assign/", grievances.assign, name="grievance-assign"),
    path("<int:grievance_id>/transfer/", grievances.transfer, name="grievance-transfer"),
    path("<int:grievance_id>/ask/", grievances.ask, name="grievance-ask"),
    path("<int:grievance_id>/answer/", grievances.answer, name="grievance-answer"),
    path("<int:grievance_id>/publish/", grievances.publish, name="grievance-publish"),
    # mediation
    path("mediation/", mediation.mediation_list, name="mediation-list"),
    path("mediation/new/", mediation.mediation_create, name="mediation-create"),
    path("mediation/<int:case_id>/", mediation.mediation_detail, name="mediation-detail"),
    path("mediation/<int:case_id>/accept/", mediation.mediation_accept, name="mediation-accept"),
    path("mediation/<int:case_id>/party/", mediation.mediation_party, name="mediation-party"),
    path("mediation/<int:case_id>/session/", mediation.mediation_session, name="mediation-session"),
    path("mediation/<int:case_id>/agree/", mediation.mediation_agree, name="mediation-agree"),
    path("mediation/<int:case_id>/fail/", mediation.mediation_fail, name="mediation-fail"),
    path("mediation/<int:case_id>/decline/", mediation.mediation_decline, name="mediation-decline"),
    path(
        "mediation/<int:case_id>/withdraw/",
        mediation.mediation_withdraw,
        name="mediation-withdraw",
    ),
    path(
        "mediation/<int:case_id>/agreement/",
        mediation.mediation_agreement,
        name="mediation-agreement",
    ),
    path(
        "mediation/<int:case_id>/agreement.pdf",
        mediation.mediation_agreement_pdf,
        name="mediation-agreement-pdf",
    ),
    # knowledge base
    path("knowledge/", knowledge.knowledge_list, name="knowledge-list"),
    path("knowledge/suggest/", knowledge.knowledge_suggest, name="knowledge-suggest"),
    path("knowledge/manage/", knowledge.knowledge_manage, name="knowledge-manage"),
    path("knowledge/new/", knowledge.knowledge_create, name="knowledge-create"),
    path("knowledge/<int:entry_id>/", knowledge.knowledge_detail, name="knowledge-detail"),
    path("knowledge/<int:entry_id>/edit/", knowledge.knowledge_edit, name="knowledge-edit"),
    path("knowledge/<int:entry_id>/delete/", knowledge.knowledge_delete, name="knowledge-delete"),
]
