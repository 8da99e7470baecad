"""The signed-in home: the client's cases waiting for them, drafts and favourites; the
designer's requests, work due, earnings, escrow and payouts. Reads only; every action is on
the case page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from cases import dashboard
from listings.search import favourite_cards
from listings.permissions import can_favourite
from models.types import utcnow
from offers.queries import READY, offers_waiting_for
from payments import earnings

bp = Blueprint("dashboard", __name__)

FAVOURITES_SHOWN = 4


@bp.get("/home")
@login_required
def home():
    now, user = utcnow(), current_user
    counts = dashboard.counts(user)
    client = designer = None
    if user.is_client or counts["to_review"] or counts["in_the_works"]:
        favourites = favourite_cards(user) if can_favourite(user) else None
        client = {
            "to_review": dashboard.to_review(user),
            "in_the_works": dashboard.in_the_works(user),
            "drafts": dashboard.drafts(user),
            "offers": offers_waiting_for(user),
            "favourites": favourites.cards[:FAVOURITES_SHOWN] if favourites else [],
            "favourites_total": favourites.total if favourites else 0,
        }
    if user.is_designer or counts["requests"] or counts["work_due"]:
        designer = {
            "requests": dashboard.requests_to_accept(user, now),
            "work_due": dashboard.work_due(user),
            "earned": earnings.earned_this_month(user, now),
            "escrow": earnings.in_escrow(user),
            "payouts": earnings.payouts(user),
        }
    return render_template(
        "dashboard/home.html", now=now, counts=counts, client=client, designer=designer, offer_ready=READY
    )
