"""Where an account signs in from: browser and network prefix, recorded at each login.

The full address is never stored: `network_prefix` keeps /24 of an IPv4 address and /48 of an
IPv6 one. Accounts sharing a device (same browser and prefix), a prefix, or a payout
destination are shown to staff as linked: a signal of one person behind several accounts.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from extensions import db
from models.accounts import User
from models.payments import ConnectedAccount
from models.trust import SignInDevice
from models.types import utcnow

AGENT_LENGTH = 300
LINKED_ROWS = 200  # shared rows read for one account page: enough to show who is linked and why


def network_prefix(address: str | None) -> str | None:
    """The network an address belongs to: "203.0.113.0/24", "2001:db8:1::/48"; None if unreadable."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def record_sign_in(user: User, *, user_agent: str | None, address: str | None) -> SignInDevice | None:
    """Note this login's browser and network prefix on the account (first and last seen).

    Nothing is recorded when the address cannot be read. Flushes; the caller commits.
    """
    prefix = network_prefix(address)
    if prefix is None:
        return None
    agent = (user_agent or "")[:AGENT_LENGTH]
    device = _device(user.id, agent, prefix)
    if device is None:
        try:
            with db.session.begin_nested():
                device = SignInDevice(user_id=user.id, user_agent=agent, ip_prefix=prefix)
                db.session.add(device)
            return device
        except IntegrityError:  # the same browser logged in at the same moment and wrote the row first
            device = _device(user.id, agent, prefix)
    device.last_seen_at = utcnow()
    device.sign_ins += 1
    db.session.flush()
    return device


def _device(user_id: int, agent: str, prefix: str) -> SignInDevice | None:
    return db.session.scalar(
        sa.select(SignInDevice)
        .where(SignInDevice.user_id == user_id, SignInDevice.user_agent == agent, SignInDevice.ip_prefix == prefix)
        .with_for_update()
    )


@dataclass
class LinkedAccount:
    """Another account sharing something with the one looked at, and what it shares."""

    user: User
    devices: set[tuple[str, str]] = field(default_factory=set)  # (user agent, prefix)
    prefixes: set[str] = field(default_factory=set)
    payout: tuple[str, str, str] | None = None  # (IBAN provider, country, last four)


def linked_accounts(user: User) -> list[LinkedAccount]:
    """Accounts sharing a device, a network prefix or a payout destination with `user` (two queries)."""
    linked: dict[int, LinkedAccount] = {}
    mine, theirs = aliased(SignInDevice), aliased(SignInDevice)
    rows = db.session.execute(
        sa.select(
            User,
            theirs.user_agent,
            theirs.ip_prefix,
            sa.func.max(sa.case((mine.user_agent == theirs.user_agent, 1), else_=0)),
        )
        .join(theirs, theirs.user_id == User.id)
        .join(mine, sa.and_(mine.ip_prefix == theirs.ip_prefix, mine.user_id == user.id))
        .where(theirs.user_id != user.id)
        .group_by(User.id, theirs.user_agent, theirs.ip_prefix)
        .order_by(User.id)
        .limit(LINKED_ROWS)
    ).all()
    for other, agent, prefix, same_device in rows:
        entry = linked.setdefault(other.id, LinkedAccount(other))
        if same_device:
            entry.devices.add((agent, prefix))
        else:
            entry.prefixes.add(prefix)
    for entry in linked.values():
        entry.prefixes -= {prefix for _agent, prefix in entry.devices}  # said once, as the device
    for other, payout in _shared_payouts(user):
        linked.setdefault(other.id, LinkedAccount(other)).payout = payout
    return sorted(linked.values(), key=lambda e: (not e.devices, e.payout is None, e.user.id))


def _shared_payouts(user: User) -> list[tuple[User, tuple[str, str, str]]]:
    # Connected account ids are unique per designer; what two accounts can share is the euro IBAN
    # of the Wise/Payoneer route, known by provider, country and last four digits.
    mine, theirs = aliased(ConnectedAccount), aliased(ConnectedAccount)
    rows = db.session.execute(
        sa.select(User, theirs.iban_provider, theirs.country, theirs.iban_last4)
        .join(theirs, theirs.user_id == User.id)
        .join(
            mine,
            sa.and_(
                mine.user_id == user.id,
                mine.iban_provider == theirs.iban_provider,
                mine.country == theirs.country,
                mine.iban_last4 == theirs.iban_last4,
            ),
        )
        .where(theirs.user_id != user.id, theirs.iban_last4.isnot(None))
        .order_by(User.id)
        .limit(LINKED_ROWS)
    ).all()
    return [(other, (provider.value, country, last4)) for other, provider, country, last4 in rows]
