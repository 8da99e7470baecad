"""Demo accounts, one per kind of user, all with the same password (README lists them)."""

from __future__ import annotations

from accounts.operations import find_by_email, grant_staff_roles
from demo.seed import DEMO_PASSWORD
from extensions import db
from legal.operations import accept_current_terms
from models.accounts import StaffRole, User
from models.types import utcnow
from passwords import hash_password

# email, display name, hires, designs, staff roles
DEMO_ACCOUNTS = [
    ("client@demo.occlusa.com", "Atelier Dentaire Lumière", True, False, []),
    ("lab@demo.occlusa.com", "Northside Dental Lab", True, False, []),
    ("designer@demo.occlusa.com", "Elena Marquez CAD", False, True, []),
    ("designer2@demo.occlusa.com", "Karim Haddad Design", False, True, []),
    ("designer3@demo.occlusa.com", "Sofia Rossi Digital", True, True, []),
    ("moderator@demo.occlusa.com", "Maya (moderation)", False, False, [StaffRole.moderator]),
    ("verifier@demo.occlusa.com", "Victor (verification)", False, False, [StaffRole.verifier]),
    ("agent@demo.occlusa.com", "Rita (resolution centre)", False, False, [StaffRole.resolution_agent]),
    ("support@demo.occlusa.com", "Sam (support desk)", False, False, [StaffRole.support]),
    ("admin@demo.occlusa.com", "Adam (admin)", False, False, [StaffRole.admin]),
]


def demo_user(email: str) -> User:
    user = find_by_email(email)
    if user is None:
        raise LookupError(f"demo account {email} missing: seed accounts first")
    return user


def seed_accounts() -> list[str]:
    lines = []
    password_hash = None
    for email, name, hires, designs, roles in DEMO_ACCOUNTS:
        user = find_by_email(email)
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(
                email=email,
                password_hash=password_hash,
                display_name=name,
                is_client=hires,
                is_designer=designs,
                email_confirmed_at=utcnow(),
                locale="en",
            )
            db.session.add(user)
            db.session.flush()
            accept_current_terms(user)  # as if they had ticked the box at sign-up
            lines.append(f"account {email}")
        if roles:
            grant_staff_roles(user, roles, actor=None)
    return lines
