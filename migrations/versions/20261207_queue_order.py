"""queue order indexes (each queue page reads one state, due first, from an index) and the default
canned responses of the disputes queue

Revision ID: 20261207_queue_order
Revises: 20261206_queues
Create Date: 2026-12-07 00:20:00

The dispute defaults use the placeholders moderation.macros.PLACEHOLDERS["dispute"] allows; admins
edit or retire them afterwards.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '20261207_queue_order'
down_revision = '20261207_filetext'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_designer_profiles_queue', 'designer_profiles', ['state', 'submitted_at', 'id']),
    ('ix_listings_queue', 'listings', ['state', 'submitted_at', 'id']),
    ('ix_verification_submissions_queue', 'verification_submissions', ['status', 'submitted_at', 'id']),
    ('ix_violations_queue', 'violations', ['status', 'created_at', 'id']),
]

DEFAULTS = [
    ("dispute", "en", "Photos asked of the client",
     "Hello {client_name}, to decide the dispute on case {case_reference} ({listing_title}) the resolution "
     "centre needs photos of the design on the model, showing the margins. Please add them as evidence."),
    ("dispute", "fr", "Photos demandées au client",
     "Bonjour {client_name}, pour trancher le litige du dossier {case_reference} ({listing_title}), le centre "
     "de résolution a besoin de photos du design sur le modèle, montrant les limites. Ajoutez-les comme preuves."),
    ("dispute", "en", "Settlement suggested",
     "Hello {client_name} and {designer_name}, the record of case {case_reference} shows part of the design is "
     "usable. Before the ruling, you may agree on a settlement from the dispute page."),
    ("dispute", "fr", "Accord proposé",
     "Bonjour {client_name} et {designer_name}, le dossier {case_reference} montre qu'une partie du design est "
     "utilisable. Avant la décision, vous pouvez vous accorder depuis la page du litige."),
    ("dispute", "en", "Ruling on the written record",
     "The resolution centre ruled on case {case_reference} ({listing_title}) on the written record: the "
     "prescription, the deliveries, the messages and the evidence both parties gave."),
    ("dispute", "fr", "Décision sur le dossier écrit",
     "Le centre de résolution a tranché le dossier {case_reference} ({listing_title}) sur le dossier écrit : "
     "la prescription, les livraisons, les messages et les preuves des deux parties."),
]

canned_responses = sa.table('canned_responses', sa.column('queue', sa.String), sa.column('language', sa.String),
                            sa.column('title', sa.String), sa.column('body', sa.Text),
                            sa.column('created_at', sa.DateTime(timezone=True)),
                            sa.column('updated_at', sa.DateTime(timezone=True)))


def upgrade():
    for name, table, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    now = datetime.now(timezone.utc)
    op.bulk_insert(canned_responses, [{"queue": queue, "language": language, "title": title, "body": body,
                                       "created_at": now, "updated_at": now}
                                      for queue, language, title, body in DEFAULTS])


def downgrade():
    op.execute(canned_responses.delete().where(canned_responses.c.queue == 'dispute'))
    for name, table, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
