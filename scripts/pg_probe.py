"""Exit 0 if the PostgreSQL server at the URL given as argument accepts a connection."""

import sys

from sqlalchemy import create_engine, text

try:
    engine = create_engine(sys.argv[1], connect_args={"connect_timeout": 3})
    with engine.connect() as connection:
        connection.execute(text("select 1"))
except Exception:
    sys.exit(1)
sys.exit(0)
