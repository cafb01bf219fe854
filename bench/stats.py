"""Helpers shared by the bench/ table writers (summarize.py, durable_table.py): reading a results.jsonl
whose lines wrap the load tool's JSON line as "result", medians over runs, number formats and ratios."""
import json
import statistics


def load(path, *key_fields):
    """The results of each run grouped by the line's key fields, e.g. load(p, "label", "server")."""
    runs = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                row = json.loads(line)
                runs.setdefault(tuple(row[k] for k in key_fields), []).append(row["result"])
    return runs


def value(result, keys):
    """The number at the path of keys in one result, or None when it is absent or not a number."""
    v = result
    for k in keys:
        v = v.get(k) if isinstance(v, dict) else None
    return v if isinstance(v, (int, float)) else None


def med(results, *keys):
    """The median of the number at keys over the results that have it, or None."""
    values = [v for v in (value(r, keys) for r in results) if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    """A number with thousands separators, or an en dash for a missing one."""
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None
