from django.urls import path

from zhijia.dashboard import views

app_name = "dashboard"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("statistics/", views.statistics_export, name="statistics"),
    path("reports/<slug:report>/pdf/", views.report_pdf, name="report-pdf"),
    path("reports/<slug:report>/docx/", views.report_docx, name="report-docx"),
]
