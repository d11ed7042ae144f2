"""Loads the same rows twice into an embedded current ClickHouse (chdb): once from a JSONEachRow file, once
from a RowBinary file, each into its own database created by the project's migrations, and prints every
table's rows read back both ways as one JSON object: {table: {"json": [...], "binary": [...]}}.

usage: chdb_row_binary.py SPEC.json
SPEC: {"json_statements": [...], "binary_statements": [...],
       "tables": [{"table", "columns": [...], "order", "json_file", "binary_file"}]}
"""

import json
import sys

from chdb import session


def main() -> None:
    spec = json.load(open(sys.argv[1], encoding="utf8"))
    s = session.Session()
    try:
        s.query("CREATE DATABASE IF NOT EXISTS via_json")
        s.query("CREATE DATABASE IF NOT EXISTS via_binary")
        for statement in spec["json_statements"] + spec["binary_statements"]:
            s.query(statement)
        out = {}
        for t in spec["tables"]:
            columns = ", ".join(t["columns"])
            s.query(f"INSERT INTO via_json.{t['table']} FROM INFILE '{t['json_file']}' FORMAT JSONEachRow")
            s.query(
                f"INSERT INTO via_binary.{t['table']} ({columns}) FROM INFILE '{t['binary_file']}' FORMAT RowBinary"
            )
            read = {}
            for db, key in (("via_json", "json"), ("via_binary", "binary")):
                text = str(s.query(f"SELECT * FROM {db}.{t['table']} ORDER BY {t['order']} FORMAT JSONEachRow"))
                read[key] = [json.loads(line) for line in text.splitlines() if line.strip()]
            out[t["table"]] = read
        print(json.dumps(out))
    finally:
        s.close()


if __name__ == "__main__":
    main()
