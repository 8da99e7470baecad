"""legal_acceptances, data_exports, article_feedback: terms versions accepted, data export ZIPs, help votes

Revision ID: 20261207_help
Revises: 20261206_queues
Create Date: 2026-12-06 23:41:51.872747

"""
from alembic import op
import sqlalchemy as sa
import models.types


# revision identifiers, used by Alembic.
revision = '20261207_help'
down_revision = '20261207_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('voter', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_article_feedback_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_feedback')),
    sa.UniqueConstraint('slug', 'voter', name=op.f('uq_article_feedback_slug_voter'))
    )
    with op.batch_alter_table('article_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_feedback_slug'), ['slug'], unique=False)

    op.create_table('data_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'ready', 'failed', 'expired', name='export_state', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('requested_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ready_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports'))
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'], unique=False)

    op.create_table('legal_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('accepted_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_legal_acceptances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_acceptances')),
    sa.UniqueConstraint('user_id', 'document', 'version', name=op.f('uq_legal_acceptances_user_id_document_version'))
    )
    with op.batch_alter_table('legal_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_acceptances_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('legal_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_acceptances_user_id'))

    op.drop_table('legal_acceptances')
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_data_exports_expires_at'))

    op.drop_table('data_exports')
    with op.batch_alter_table('article_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_feedback_slug'))

    op.drop_table('article_feedback')
