"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""
from models import accounts, moderation  # noqa: F401
