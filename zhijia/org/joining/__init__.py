"""Online joining (网上入会): a worker applies on a public page, the branch union reviews.

    queries.py   units to apply to, the review queue (scoped), the receipt lookup
    actions.py   submit, approve (creates the member and its account), refuse
    forms.py  views.py  api.py   the public pages, the cadres' queue, the API
    throttle.py  the per-address brake on submissions

The workflow is declared in zhijia/org/workflows.py (`org.join`); the model is
zhijia.org.models.JoinApplication.
"""
