"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "types":
        importlib.import_module(f"{__name__}.{_module.name}")
