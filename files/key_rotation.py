"""Master key rotation: re-wrap every file's data key under the current master key.

Only the small wrapped keys change; the files' bytes in storage are never read nor
written (they are sealed with the data keys, which stay the same). Rows are taken in id
order, a batch at a time, each batch under row locks and committed on its own, so an
interrupted rotation resumes where it stopped and a second run finds nothing left to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from extensions import commit, db
from files import crypto
from files.operations import master_keys
from models.files import StoredFile, UploadSession

log = logging.getLogger(__name__)


@dataclass
class RotationCount:
    rewrapped: int = 0
    already_current: int = 0
    # Rows whose master key is not in the ring (their id → how many): left as they are.
    unknown_keys: dict[str, int] = field(default_factory=dict)


def rotate_files_key(batch_size: int = 500) -> dict[str, RotationCount]:
    """Re-wrap the data keys of stored files and open uploads under FILES_MASTER_KEY.

    Returns the counts per table. A row under a master key missing from the ring is
    counted and skipped (the others are still rotated).
    """
    ring = master_keys()
    return {model.__tablename__: _rotate(model, ring, batch_size) for model in (StoredFile, UploadSession)}


def _rotate(model, ring: crypto.KeyRing, batch_size: int) -> RotationCount:
    count = RotationCount()
    has_key = model.wrapped_key.is_not(None)
    count.already_current = db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(has_key, model.wrapped_key_id == ring.current_id)
    )
    last_id = 0
    while True:
        rows = db.session.scalars(
            sa.select(model)
            .where(
                has_key,
                model.id > last_id,
                sa.or_(model.wrapped_key_id.is_(None), model.wrapped_key_id != ring.current_id),
            )
            .order_by(model.id)
            .limit(batch_size)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        if not rows:
            return count
        for row in rows:
            if row.wrapped_key_id not in ring.ids:
                count.unknown_keys[row.wrapped_key_id] = count.unknown_keys.get(row.wrapped_key_id, 0) + 1
                continue
            data_key = ring.unwrap(row.wrapped_key_id, row.wrapped_key, context=row.storage_key)
            row.wrapped_key_id, row.wrapped_key = ring.wrap(data_key, context=row.storage_key)
            count.rewrapped += 1
        last_id = rows[-1].id
        commit()
        log.info("%s: data keys re-wrapped up to id %s", model.__tablename__, last_id)
