"""canned_responses: macros staff pick for rejections and warnings, per queue and language, with defaults

Revision ID: 20261206_macros
Revises: 20261206_chargeback
Create Date: 2026-12-06 22:10:00

The default set is inserted here so production has it too; admins edit or retire it afterwards.
Placeholders are those moderation.macros.PLACEHOLDERS allows for each queue.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_macros'
down_revision = '20261206_chargeback'
branch_labels = None
depends_on = None

DEFAULTS = [
    ("profile", "en", "Contact details in the profile",
     "Hello {user_name}, your profile shows contact details (an e-mail address, a phone number or a website). "
     "Clients reach you through Occlusa only: please remove them and send the profile again."),
    ("profile", "fr", "Coordonnées dans le profil",
     "Bonjour {user_name}, votre profil montre des coordonnées (adresse e-mail, téléphone ou site web). "
     "Les clients vous contactent uniquement via Occlusa : retirez-les et renvoyez le profil."),
    ("profile", "en", "Photo is not of you",
     "Hello {user_name}, the profile photo must show you, clearly and alone. Please upload another photo."),
    ("profile", "fr", "La photo ne vous montre pas",
     "Bonjour {user_name}, la photo de profil doit vous montrer, seul et clairement. Merci d'en envoyer une autre."),
    ("listing", "en", "Pictures missing or unclear",
     "Hello {user_name}, the pictures of \"{listing_title}\" do not show your work clearly. Please add sharp "
     "screenshots of your designs (occlusal and side views) and send the listing again."),
    ("listing", "fr", "Photos manquantes ou floues",
     "Bonjour {user_name}, les images de « {listing_title} » ne montrent pas clairement votre travail. Ajoutez des "
     "captures nettes de vos conceptions (vues occlusale et latérale) et renvoyez l'annonce."),
    ("listing", "en", "Contact details in the listing",
     "Hello {user_name}, \"{listing_title}\" contains contact details. Orders and messages go through Occlusa "
     "only: please remove them and send the listing again."),
    ("listing", "fr", "Coordonnées dans l'annonce",
     "Bonjour {user_name}, « {listing_title} » contient des coordonnées. Commandes et messages passent uniquement "
     "par Occlusa : retirez-les et renvoyez l'annonce."),
    ("verification", "en", "Document unreadable",
     "Hello {user_name}, we could not read your identity document. Please send a sharp photo of the whole "
     "document, without glare, with every corner visible."),
    ("verification", "fr", "Document illisible",
     "Bonjour {user_name}, nous n'avons pas pu lire votre pièce d'identité. Envoyez une photo nette du document "
     "entier, sans reflet, avec les quatre coins visibles."),
    ("verification", "en", "Name does not match",
     "Hello {user_name}, the name on the document does not match the name of your profile. Please send a "
     "document in your name, or correct your profile."),
    ("verification", "fr", "Le nom ne correspond pas",
     "Bonjour {user_name}, le nom sur le document ne correspond pas à celui de votre profil. Envoyez un document "
     "à votre nom, ou corrigez votre profil."),
    ("violation", "en", "Warning: rule broken",
     "Hello {user_name}, this is a warning for {rule_broken}. Please keep every exchange on Occlusa: another "
     "violation may lead to the suspension of your account."),
    ("violation", "fr", "Avertissement : règle enfreinte",
     "Bonjour {user_name}, ceci est un avertissement pour : {rule_broken}. Gardez tous vos échanges sur Occlusa : "
     "une nouvelle infraction peut entraîner la suspension de votre compte."),
]


def upgrade():
    table = op.create_table('canned_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_responses'))
    )
    with op.batch_alter_table('canned_responses', schema=None) as batch_op:
        batch_op.create_index('ix_canned_responses_queue_language', ['queue', 'language'], unique=False)
    now = datetime.now(timezone.utc)
    op.bulk_insert(table, [{"queue": queue, "language": language, "title": title, "body": body,
                            "created_at": now, "updated_at": now} for queue, language, title, body in DEFAULTS])


def downgrade():
    with op.batch_alter_table('canned_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_canned_responses_queue_language')

    op.drop_table('canned_responses')
