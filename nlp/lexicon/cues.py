"""The shape of one language's cue phrases (see `nlp/lexicon/<lang>.py`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cues:
    """Phrases, written naturally, that turn a mention into a request to leave the platform."""

    # Verbs that make the app named after them a place to talk: "add me (on)", "écris-moi".
    contact: tuple[str, ...]
    # First-person possessives: "my (insta)", "mon (paypal)".
    possessive: tuple[str, ...]
    # Payment verbs and nouns: "pay me", "paiement", "überweisen".
    pay: tuple[str, ...]
    # Outside the platform, but harmless alone ("directly", "outside the site").
    off_platform: tuple[str, ...]
    # Leaving the platform whatever the context ("avoid the commission").
    bypass: tuple[str, ...]
    # Verbs and prepositions of going around the platform's cut: "avoid", "sans", "ohne".
    avoid: tuple[str, ...]
    # The platform's cut: "fee", "commission", "Provision".
    fees: tuple[str, ...]
    # Words that make a fee an ordinary one: "rush (fee)", "(frais d')urgence".
    other_fees: tuple[str, ...]
    # Asking for the other side's details: "your number", "ton mail".
    their_details: tuple[str, ...]
    # Verbs that ask for them: "send me", "what's".
    asking: tuple[str, ...]
    # Second-person possessives, for "what's YOUR insta?".
    yours: tuple[str, ...]
    # Saying the platform itself is the place: "here", "through the platform".
    on_platform: tuple[str, ...]
    # Imperatives that only make sense off the platform: "call me", "ruf mich an".
    call_me: tuple[str, ...]
    # Words that may open a clause before an imperative: "please", "bitte".
    openers: tuple[str, ...]
    # Negations that cancel a cue in the same clause: "don't", "jamais".
    negations: tuple[str, ...]
    # A better price, a request to leave only next to somewhere else to go: "cheaper", "sconto".
    cheaper: tuple[str, ...] = ()
