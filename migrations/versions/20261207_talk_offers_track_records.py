"""custom_offers, dental sub-ratings and clinical outcome on reviews, designer languages

Revision ID: 20261207_talk
Revises: 20261206_queues
Create Date: 2026-12-06 23:41:34.578848

"""
from alembic import op
import sqlalchemy as sa
import models.types


# revision identifiers, used by Alembic.
revision = '20261207_talk'
down_revision = '20261206_queues'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('custom_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('designer_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('source_listing_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('unit', sa.Enum('unit', 'arch', name='offer_pricing_unit', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('pricing', sa.Enum('tiers', 'total', name='offer_pricing', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('tiers', sa.JSON(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('turnaround_days', sa.Integer(), nullable=False),
    sa.Column('revisions_included', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('open', 'accepted', 'withdrawn', 'expired', 'replaced', name='offer_state', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('expires_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(pricing = 'total') = (total_cents IS NOT NULL)", name=op.f('ck_custom_offers_total_given_for_total')),
    sa.CheckConstraint('designer_id <> client_id', name=op.f('ck_custom_offers_not_own_offer')),
    sa.CheckConstraint('revisions_included >= 0', name=op.f('ck_custom_offers_revisions_not_negative')),
    sa.CheckConstraint('total_cents IS NULL OR total_cents > 0', name=op.f('ck_custom_offers_total_positive')),
    sa.CheckConstraint('turnaround_days >= 1', name=op.f('ck_custom_offers_turnaround_positive')),
    sa.CheckConstraint('units >= 1', name=op.f('ck_custom_offers_units_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_custom_offers_client_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_custom_offers_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['designer_id'], ['users.id'], name=op.f('fk_custom_offers_designer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_custom_offers_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_listing_id'], ['listings.id'], name=op.f('fk_custom_offers_source_listing_id_listings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_offers'))
    )
    with op.batch_alter_table('custom_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_offers_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_offers_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_offers_designer_id'), ['designer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_offers_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_offers_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_offers_state'), ['state'], unique=False)

    with op.batch_alter_table('designer_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fit_stars', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('margins_stars', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('aesthetics_stars', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('communication_stars', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Enum('seated', 'adjusted', 'remade', name='clinical_outcome', native_enum=False, create_constraint=True, length=16), nullable=True))
        batch_op.add_column(sa.Column('outcome_at', models.types.UTCDateTime(timezone=True), nullable=True))
        for name in ('fit', 'margins', 'aesthetics', 'communication'):
            batch_op.create_check_constraint(f'{name}_stars_range',
                                             f'{name}_stars IS NULL OR {name}_stars BETWEEN 1 AND 5')
        batch_op.create_check_constraint('dental_about_designer',
                                         'about_designer OR (outcome IS NULL AND fit_stars IS NULL)')



def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reviews_dental_about_designer'), type_='check')
        batch_op.drop_constraint(op.f('ck_reviews_clinical_outcome'), type_='check')
        for name in ('fit', 'margins', 'aesthetics', 'communication'):
            batch_op.drop_constraint(op.f(f'ck_reviews_{name}_stars_range'), type_='check')
        batch_op.drop_column('outcome_at')
        batch_op.drop_column('outcome')
        batch_op.drop_column('communication_stars')
        batch_op.drop_column('aesthetics_stars')
        batch_op.drop_column('margins_stars')
        batch_op.drop_column('fit_stars')

    with op.batch_alter_table('designer_profiles', schema=None) as batch_op:
        batch_op.drop_column('languages')

    op.drop_table('custom_offers')
