from django.urls import path

from zhijia.women.views import checks, provinces, registrations, rooms

app_name = "women"
urlpatterns: list = [
    path("", registrations.home, name="home"),
    path("register/", registrations.register, name="register"),
    path(
        "registrations/<int:registration_id>/",
        registrations.registration_detail,
        name="registration",
    ),
    path(
        "registrations/<int:registration_id>/birth/",
        registrations.record_birth,
        name="registration-birth",
    ),
    path(
        "registrations/<int:registration_id>/department-consent/",
        registrations.department_consent,
        name="registration-department-consent",
    ),
    path(
        "registrations/<int:registration_id>/withdraw/",
        registrations.withdraw,
        name="registration-withdraw",
    ),
    path("committee/registrations/", registrations.committee_registrations, name="registrations"),
    path("provinces/", provinces.provinces, name="provinces"),
    path("provinces/new/", provinces.province_new, name="province-new"),
    path("provinces/<int:province_id>/", provinces.province_edit, name="province-edit"),
    path("rooms/", rooms.rooms, name="rooms"),
    path("rooms/<int:room_id>/", rooms.room, name="room"),
    path("rooms/<int:room_id>/book/", rooms.room_book, name="room-book"),
    path("bookings/<int:booking_id>/cancel/", rooms.booking_cancel, name="booking-cancel"),
    path("desk/rooms/", rooms.desk_rooms, name="desk-rooms"),
    path("desk/rooms/<int:room_id>/", rooms.desk_room, name="desk-room"),
    path("desk/rooms/<int:room_id>/export/", rooms.desk_room_export, name="desk-room-export"),
    path("checks/", checks.checks, name="checks"),
    path("checks/<int:campaign_id>/signup/", checks.check_signup, name="check-signup"),
    path("desk/checks/", checks.desk_checks, name="desk-checks"),
    path("desk/checks/<int:campaign_id>/", checks.desk_check, name="desk-check"),
    path(
        "desk/checks/<int:campaign_id>/export/", checks.desk_check_export, name="desk-check-export"
    ),
]
