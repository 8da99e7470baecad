"""support desk: tickets, their messages and attachments; the support staff role; default canned answers

Revision ID: 20261207_support
Revises: 20261206_queues
Create Date: 2026-12-06 23:43:34

The staff_role CHECK constraint gains "support". The default canned answers of the support queue
("ticket") are inserted here so production has them too; admins edit or retire them afterwards.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261207_support'
down_revision = '20261207_billing'
branch_labels = None
depends_on = None

ROLES = ('moderator', 'verifier', 'resolution_agent', 'admin')
MACROS = [
    ("ticket", "en", "Payout timing",
     "Hello {user_name}, thank you for writing about \"{ticket_subject}\". A payout leaves Occlusa when the case "
     "is completed (by the client, or automatically 30 days after the last delivery) and reaches your bank within "
     "7 days. If it has not arrived after that, answer here with the case reference and we look at it with our "
     "payment provider."),
    ("ticket", "fr", "Délai des versements",
     "Bonjour {user_name}, merci pour votre message « {ticket_subject} ». Un versement part d'Occlusa quand le cas "
     "est terminé (par le client, ou automatiquement 30 jours après la dernière livraison) et arrive sur votre "
     "compte sous 7 jours. S'il n'est pas arrivé après ce délai, répondez ici avec la référence du cas et nous "
     "vérifions auprès de notre prestataire de paiement."),
    ("ticket", "en", "Verification documents",
     "Hello {user_name}, about \"{ticket_subject}\": send your identity documents under Settings > Payments "
     "(never in a ticket). A verifier decides within two working days and the documents are deleted right after "
     "the decision."),
    ("ticket", "fr", "Documents de vérification",
     "Bonjour {user_name}, au sujet de « {ticket_subject} » : envoyez vos pièces d'identité dans Paramètres > "
     "Paiements (jamais dans un ticket). Un vérificateur décide sous deux jours ouvrés et les documents sont "
     "supprimés juste après la décision."),
    ("ticket", "en", "Solved: thank you",
     "Hello {user_name}, we are glad \"{ticket_subject}\" is sorted out. We mark the ticket solved; write on it "
     "again whenever you need us and it opens again."),
    ("ticket", "fr", "Résolu : merci",
     "Bonjour {user_name}, nous sommes heureux que « {ticket_subject} » soit réglé. Nous marquons le ticket "
     "résolu ; écrivez-y de nouveau si besoin et il sera rouvert."),
]


def _allow_roles(roles: tuple[str, ...]) -> None:
    """Replace the CHECK constraint of staff_role_grants.role (the enums are VARCHARs with a CHECK)."""
    check = f"role IN ({', '.join(repr(r) for r in roles)})"
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('ck_staff_role_grants_staff_role'), 'staff_role_grants', type_='check')
        op.create_check_constraint(op.f('ck_staff_role_grants_staff_role'), 'staff_role_grants', check)
        return
    with op.batch_alter_table('staff_role_grants', recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_role_grants_staff_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_staff_role_grants_staff_role'), check)


def upgrade():
    op.create_table('support_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('signed_in', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('topic', sa.Enum('payments', 'verification', 'account', 'case', 'bug', 'other', name='ticket_topic', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('payout_journal_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('unconfirmed', 'open', 'waiting', 'solved', name='ticket_status', native_enum=False, create_constraint=True, length=19), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('waiting_since', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('solved_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_support_tickets_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['payout_journal_id'], ['ledger_journals.id'], name=op.f('fk_support_tickets_payout_journal_id_ledger_journals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_tickets_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_tickets'))
    )
    with op.batch_alter_table('support_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_tickets_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_tickets_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_tickets_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_tickets_waiting_since'), ['waiting_since'], unique=False)

    op.create_table('ticket_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('from_staff', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ticket_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['support_tickets.id'], name=op.f('fk_ticket_messages_ticket_id_support_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_messages'))
    )
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_messages_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_ticket_attachments_file_id_stored_files')),
    sa.ForeignKeyConstraint(['message_id'], ['ticket_messages.id'], name=op.f('fk_ticket_attachments_message_id_ticket_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_attachments'))
    )
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_attachments_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_attachments_message_id'), ['message_id'], unique=False)
    _allow_roles(ROLES[:-1] + ('support', 'admin'))
    macros = sa.table('canned_responses', sa.column('queue', sa.String), sa.column('language', sa.String),
                      sa.column('title', sa.String), sa.column('body', sa.Text),
                      sa.column('created_at', models.types.UTCDateTime(timezone=True)),
                      sa.column('updated_at', models.types.UTCDateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    op.bulk_insert(macros, [{"queue": queue, "language": language, "title": title, "body": body,
                             "created_at": now, "updated_at": now} for queue, language, title, body in MACROS])


def downgrade():
    op.execute("DELETE FROM canned_responses WHERE queue = 'ticket'")
    op.execute("DELETE FROM staff_role_grants WHERE role = 'support'")
    _allow_roles(ROLES)
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_attachments_message_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_attachments_file_id'))

    op.drop_table('ticket_attachments')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_messages_ticket_id'))

    op.drop_table('ticket_messages')
    with op.batch_alter_table('support_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_tickets_waiting_since'))
        batch_op.drop_index(batch_op.f('ix_support_tickets_user_id'))
        batch_op.drop_index(batch_op.f('ix_support_tickets_status'))
        batch_op.drop_index(batch_op.f('ix_support_tickets_email'))

    op.drop_table('support_tickets')
