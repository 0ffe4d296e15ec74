"""Demo data of module congress, for `zhijia seed-demo`."""

from __future__ import annotations


def seed_demo() -> str:
    """Term 1 with 120 representatives (rep1 among them) and a session today. Idempotent."""
    from zhijia.congress.demo_sessions import ensure_demo_congress

    session = ensure_demo_congress(representatives=120)
    return f"congress: term {session.term.number}, session {session.number} on {session.date}"
