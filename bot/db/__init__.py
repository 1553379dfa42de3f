"""Database access: models, engine, unit of work. Nothing else touches SQLAlchemy sessions."""
