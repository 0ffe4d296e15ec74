"""Pages of proposals, included by congress/urls.py at "proposals/"."""

from django.urls import path

from zhijia.congress import views_proposals as views

urlpatterns = [
    path("", views.mine, name="proposal-mine"),
    path("new/", views.create, name="proposal-create"),
    path("cosign-requests/", views.cosign_requests, name="proposal-cosign-requests"),
    path("queue/", views.queue, name="proposal-queue"),
    path("department/", views.department, name="proposal-department"),
    path("<int:proposal_id>/", views.detail, name="proposal-detail"),
    path("<int:proposal_id>/edit/", views.edit, name="proposal-edit"),
    path("<int:proposal_id>/invite/", views.invite, name="proposal-invite"),
    path("<int:proposal_id>/cosign/", views.cosign, name="proposal-cosign"),
    path("<int:proposal_id>/decline/", views.decline, name="proposal-decline"),
    path("<int:proposal_id>/submit/", views.submit, name="proposal-submit"),
    path("<int:proposal_id>/withdraw/", views.withdraw, name="proposal-withdraw"),
    path("<int:proposal_id>/decide/", views.decide, name="proposal-decide"),
    path("<int:proposal_id>/accept/", views.accept, name="proposal-accept"),
    path("<int:proposal_id>/reject/", views.reject, name="proposal-reject"),
    path("<int:proposal_id>/merge/", views.merge, name="proposal-merge"),
    path("<int:proposal_id>/assign/", views.assign, name="proposal-assign"),
    path("<int:proposal_id>/reassign/", views.reassign, name="proposal-reassign"),
    path("<int:proposal_id>/supervise/", views.supervise, name="proposal-supervise"),
    path("<int:proposal_id>/carry-over/", views.carry_over, name="proposal-carry-over"),
    path("<int:proposal_id>/answer/", views.answer, name="proposal-answer"),
    path("<int:proposal_id>/opinion/", views.opinion, name="proposal-opinion"),
    path("<int:proposal_id>/rate/", views.rate, name="proposal-rate"),
]
