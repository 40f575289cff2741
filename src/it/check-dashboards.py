#!/usr/bin/env python3
"""Checks the Grafana dashboards under grafana/dashboards (python3 standard library only).

    check-dashboards.py [static] [DASHBOARD.json ...]
        Structure: current Grafana model (schemaVersion >= 39, stable uid, no __inputs/__requires),
        datasource ${datasource} everywhere, a unit and a gridPos on every panel, the template
        variables, and every PromQL selector filtered by application=~"$application" and
        instance=~"$instance" (no hard-coded instance), $__rate_interval in rate().

    check-dashboards.py rules OUT.yml [DASHBOARD.json ...]
        Writes every panel and variable query, with Grafana's variables substituted, as Prometheus
        recording rules, for `promtool check rules OUT.yml` (PromQL syntax).

    check-dashboards.py query PROMETHEUS_URL [DASHBOARD.json ...]
        Evaluates every query through PROMETHEUS_URL/api/v1/query and fails when one is invalid or
        returns no series. Prints one line per query and "N passed, M failed".

Without DASHBOARD arguments, all grafana/dashboards/*.json of the repository are checked.
Exit status: 0 when everything passed, 1 when a check failed, 2 on bad usage.
"""

import collections
import glob
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

MIN_SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SCOPE_VARIABLES = ("application", "instance")  # every selector filters by these
# Panel types that carry no query (layout and prose).
QUERYLESS_PANELS = {"row", "text"}
PANEL_TYPES = QUERYLESS_PANELS | {
    "timeseries", "stat", "gauge", "bargauge", "table", "barchart", "piechart", "heatmap",
    "histogram", "state-timeline", "status-history",
}
# Unit ids from Grafana's packages/grafana-data/src/valueFormats/categories.ts (the subset that
# makes sense for these metrics); a typo there renders as a literal suffix, so it is an error here.
UNITS = {
    "none", "short", "percent", "percentunit", "locale", "sci",
    "bits", "bytes", "kbytes", "mbytes", "gbytes", "decbits", "decbytes", "deckbytes", "decmbytes",
    "decgbytes", "pps", "bps", "Bps", "KBs", "MBs", "GBs",
    "hertz", "ns", "µs", "ms", "s", "m", "h", "d", "dtdurationms", "dtdurations", "dthms", "dtdhms",
    "clockms", "clocks", "dateTimeAsIso", "dateTimeAsIsoNoDateIfToday", "dateTimeAsUS",
    "dateTimeAsUSNoDateIfToday", "dateTimeFromNow",
    "cps", "ops", "reqps", "rps", "wps", "iops", "cpm", "opm", "rpm", "wpm",
}
CUSTOM_UNIT_PREFIXES = ("count:", "suffix:", "prefix:", "si:", "time:")
# Grafana's interval macros and the values the live check gives them.
MACROS = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}
RANGE_MACROS = {"$__rate_interval", "$__range"}
RATE_FUNCTIONS = {"rate", "irate"}
AGGREGATIONS = {
    "sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk",
    "quantile", "count_values", "limitk", "limit_ratio",
}
KEYWORDS = AGGREGATIONS | {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
    "offset", "atan2", "inf", "nan", "start", "end",
}
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
MATCHER_STRING = re.compile(r'(=~|!~|!=|=)(\s*)"((?:[^"\\]|\\.)*)"')
LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*),\s*([a-zA-Z_]\w*)\s*\)\s*$", re.S)
HARD_CODED_INSTANCE = re.compile(r'\binstance\s*(=~|!~|!=|=)\s*"(?!\$instance")')
TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
    | (?P<var>\$\{\w+(?::[^}]*)?\}|\$\w+|\[\[\w+\]\])
    | (?P<number>[0-9][0-9a-zA-Z_.]*|\.[0-9]+)
    | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
    | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=(){}\[\],@:])
    )""",
    re.X,
)


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append("%s: %s" % (where, message))


# ------------------------------------------------------------------------- model walking


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def all_panels(dashboard):
    """Top-level panels and the panels nested in collapsed rows."""
    for panel in dashboard.get("panels") or []:
        yield panel
        for nested in panel.get("panels") or []:
            yield nested


def strings(node):
    """Every string value in a JSON tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def panel_queries(dashboard):
    """(panel, target) for every target with an expr."""
    for panel in all_panels(dashboard):
        for target in panel.get("targets") or []:
            if isinstance(target, dict) and target.get("expr"):
                yield panel, target


def variable_query(variable):
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query")
    return query if isinstance(query, str) else ""


# One query of a dashboard: label for people, key for a rule name, expr with Grafana's variables
# left in (None when it cannot be checked), and for a variable the label whose values it offers.
Query = collections.namedtuple("Query", "label key expr offers")


def queries_of(name, dashboard):
    """A Query for every panel target and query variable.

    A variable's label_values(selector, label) becomes count by (label) (selector), which
    returns one series per value the variable offers.
    """
    for panel, target in panel_queries(dashboard):
        label = '%s #%s "%s" [%s]' % (name, panel.get("id"), panel.get("title"), target.get("refId"))
        yield Query(label, "panel_%s_%s" % (panel.get("id"), target.get("refId")), target["expr"], None)
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        label = "%s variable $%s" % (name, variable.get("name"))
        key = "variable_%s" % variable.get("name")
        match = LABEL_VALUES.match(variable_query(variable))
        if match:
            expr = "count by (%s) (%s)" % (match.group(2), match.group(1))
            yield Query(label, key, expr, match.group(2))
        else:
            yield Query(label, key, None, None)


# ------------------------------------------------------------------------- PromQL helpers


def tokens(expr):
    position, out = 0, []
    while position < len(expr):
        if expr[position:].strip() == "":
            break
        match = TOKEN.match(expr, position)
        if not match:
            raise ValueError("cannot read PromQL at %r" % expr[position:position + 20])
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


def check_expr(where, expr, problems, required=SCOPE_VARIABLES):
    """Selector and range rules on one expression (syntax itself is promtool's job).

    Returns the metric names the expression selects.
    """
    try:
        toks = tokens(expr)
    except ValueError as e:
        problems.add(where, str(e))
        return set()
    calls = []  # function name (or None) for each open parenthesis
    label_list = False
    selectors, names = 0, set()
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        if kind == "ident" and text in LABEL_LIST_KEYWORDS and nxt == "(":
            label_list = True
            calls.append(None)
            i += 2
            continue
        if text == "(":
            calls.append(None)
        elif text == ")":
            if calls:
                calls.pop()
            label_list = False
        elif kind == "ident" and nxt == "(" and not label_list:
            calls.append(text)
            i += 2
            continue
        elif kind == "ident" and not label_list and text not in KEYWORDS and nxt != "{":
            selectors += 1
            names.add(text)
            if required:
                problems.add(where, "metric %s has no {...} selector with %s" % (text, scope_text(required)))
        elif text == "{":
            if i and toks[i - 1][0] == "ident":
                names.add(toks[i - 1][1])
            end = next((j for j in range(i, len(toks)) if toks[j][1] == "}"), len(toks))
            check_matchers(where, toks[i + 1:end], problems, required)
            selectors += 1
            i = end + 1
            continue
        elif text == "[":
            end = next((j for j in range(i, len(toks)) if toks[j][1] == "]"), len(toks))
            window = "".join(t for _, t in toks[i + 1:end])
            function = next((c for c in reversed(calls) if c), None)
            if function in RATE_FUNCTIONS and window != "$__rate_interval":
                problems.add(where, "%s() over [%s]: use [$__rate_interval]" % (function, window))
            elif window not in RANGE_MACROS:
                problems.add(where, "range [%s] is hard-coded: use $__rate_interval or $__range" % window)
            i = end + 1
            continue
        i += 1
    if selectors == 0:
        problems.add(where, "no metric selector")
    return names


def scope_text(required):
    return ", ".join('%s=~"$%s"' % (v, v) for v in required)


def check_matchers(where, toks, problems, required):
    matchers = {}
    groups, group = [], []
    for token in toks + [("op", ",")]:
        if token[1] == ",":
            if group:
                groups.append(group)
            group = []
        else:
            group.append(token)
    for group in groups:
        if len(group) != 3 or group[2][0] != "string":
            problems.add(where, "cannot read matcher %s" % "".join(t for _, t in group))
            continue
        (_, label), (_, op), (_, value) = group
        matchers.setdefault(label, []).append((op, value))
        if VARIABLE.search(value) and op != "=~":
            problems.add(where, "%s%s%s: a multi-value variable needs =~" % (label, op, value))
    for name in required:
        if ("=~", '"$%s"' % name) not in matchers.get(name, []):
            problems.add(where, 'selector {%s} lacks %s=~"$%s"' % ("".join(t for _, t in toks), name, name))
        elif len(matchers[name]) > 1:
            problems.add(where, "selector filters %s more than once" % name)


def substitute(expr):
    """Grafana variables -> values Prometheus accepts: `.*` inside =~"...", macros by MACROS."""

    def in_string(match):
        op, space, value = match.groups()
        if not VARIABLE.search(value):
            return match.group(0)
        if op != "=~":
            raise ValueError("variable in %s%s: only =~ can take a multi-value variable" % (op, value))
        return '%s%s"%s"' % (op, space, VARIABLE.sub(".*", value))

    def macro(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in MACROS:
            raise ValueError("unknown variable $%s outside a =~ matcher" % name)
        return MACROS[name]

    return VARIABLE.sub(macro, MATCHER_STRING.sub(in_string, expr))


# ------------------------------------------------------------------------- static check


def check_dashboard(name, dashboard, problems):
    if not isinstance(dashboard, dict):
        problems.add(name, "not a JSON object")
        return
    for key in ("__inputs", "__requires", "__elements"):
        if key in dashboard:
            problems.add(name, "%s is the export-for-sharing form; provisioning needs the plain model" % key)
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
        problems.add(name, "uid must be a stable string of 1-40 letters, digits, - or _ but was %r" % (uid,))
    if not dashboard.get("title"):
        problems.add(name, "title is missing")
    version = dashboard.get("schemaVersion")
    if not isinstance(version, int) or version < MIN_SCHEMA_VERSION:
        problems.add(name, "schemaVersion must be >= %d but was %r" % (MIN_SCHEMA_VERSION, version))
    if dashboard.get("id") is not None:
        problems.add(name, "id must be null in a provisioned dashboard (Grafana assigns it)")
    for text in strings(dashboard):
        for match in HARD_CODED_INSTANCE.finditer(text):
            problems.add(name, "hard-coded instance matcher in %r" % text[match.start():match.start() + 40])
        if "DS_PROMETHEUS" in text:
            problems.add(name, "references ${DS_PROMETHEUS}; use ${datasource}")
    used = check_variables(name, dashboard, problems)
    check_panels(name, dashboard, problems, used)


def check_variables(name, dashboard, problems):
    variables = dashboard.get("templating", {}).get("list", [])
    by_name = {v.get("name"): v for v in variables}
    ds = by_name.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.add(name, "template variable datasource (type datasource, query prometheus) is missing")
    used = set()
    for position, variable in enumerate(variables):
        where = "%s variable $%s" % (name, variable.get("name"))
        if variable.get("type") != "query":
            continue
        if variable.get("datasource") != DATASOURCE:
            problems.add(where, "datasource must be %s" % json.dumps(DATASOURCE))
        if not (variable.get("multi") and variable.get("includeAll") and variable.get("allValue") == ".*"):
            problems.add(where, 'must be multi-value with "All" = .* (the panels use =~)')
        current = variable.get("current") or {}
        if current.get("value") not in (None, "", "$__all", ["$__all"]):
            problems.add(where, "current value %r is hard-coded; leave it at All" % (current.get("value"),))
        query = variable_query(variable)
        match = LABEL_VALUES.match(query)
        if not match:
            problems.add(where, "query must be label_values(metric{...}, label) but was %r" % query)
            continue
        # A variable filters by the scope variables defined before it (instance by application, ...).
        earlier = {v.get("name") for v in variables[:position]}
        required = tuple(v for v in SCOPE_VARIABLES if v in earlier)
        check_expr(where, match.group(1), problems, required)
        used.update(n for m in VARIABLE.finditer(query) for n in m.groups() if n)
    for variable in SCOPE_VARIABLES:
        if variable not in by_name:
            problems.add(name, "template variable %s is missing" % variable)
    return used


def check_panels(name, dashboard, problems, used):
    defined = {v.get("name") for v in dashboard.get("templating", {}).get("list", [])}
    ids, occupied = set(), {}
    panels = list(all_panels(dashboard))
    if not any(p.get("type") not in QUERYLESS_PANELS for p in panels):
        problems.add(name, "has no panels")
    top_level = [id(p) for p in dashboard.get("panels") or []]
    for panel in panels:
        where = '%s panel #%s "%s"' % (name, panel.get("id"), panel.get("title"))
        if not isinstance(panel.get("id"), int) or panel["id"] in ids:
            problems.add(where, "id must be a unique integer")
        ids.add(panel.get("id"))
        if not panel.get("title"):
            problems.add(where, "title is missing")
        if panel.get("type") not in PANEL_TYPES:
            problems.add(where, "unknown panel type %r" % panel.get("type"))
        check_grid(where, panel.get("gridPos"), problems)
        if id(panel) in top_level and isinstance(panel.get("gridPos"), dict):
            mark_grid(where, panel["gridPos"], occupied, problems)
        if panel.get("type") in QUERYLESS_PANELS:
            continue
        if panel.get("datasource") != DATASOURCE:
            problems.add(where, "datasource must be %s but was %s" % (json.dumps(DATASOURCE), json.dumps(panel.get("datasource"))))
        unit = (panel.get("fieldConfig") or {}).get("defaults", {}).get("unit")
        if not unit:
            problems.add(where, "fieldConfig.defaults.unit is not set")
        elif unit not in UNITS and not unit.startswith(CUSTOM_UNIT_PREFIXES):
            problems.add(where, "unknown unit %r" % unit)
        targets = panel.get("targets") or []
        if not targets:
            problems.add(where, "has no targets")
        refs = set()
        for target in targets:
            twhere = "%s [%s]" % (where, target.get("refId"))
            if not target.get("refId") or target.get("refId") in refs:
                problems.add(twhere, "refId must be set and unique in the panel")
            refs.add(target.get("refId"))
            if target.get("datasource", DATASOURCE) != DATASOURCE:
                problems.add(twhere, "datasource must be %s" % json.dumps(DATASOURCE))
            expr = target.get("expr")
            if not expr:
                problems.add(twhere, "expr is missing")
                continue
            check_expr(twhere, expr, problems)
            for match in VARIABLE.finditer(expr):
                variable = next(n for n in match.groups() if n)
                used.add(variable)
                if variable not in defined and variable not in MACROS:
                    problems.add(twhere, "uses $%s, which is not a template variable" % variable)
    for variable in defined - used - {"datasource"}:
        problems.add(name, "template variable $%s is not used by any panel" % variable)


def check_grid(where, grid, problems):
    if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
        problems.add(where, "gridPos must have integer h, w, x, y but was %r" % (grid,))
        return
    if not (1 <= grid["w"] <= 24 and grid["h"] >= 1 and grid["x"] >= 0 and grid["y"] >= 0 and grid["x"] + grid["w"] <= 24):
        problems.add(where, "gridPos %r is outside the 24-column grid" % (grid,))


def mark_grid(where, grid, occupied, problems):
    for y in range(grid["y"], grid["y"] + grid["h"]):
        for x in range(grid["x"], grid["x"] + grid["w"]):
            if (x, y) in occupied:
                problems.add(where, "overlaps %s" % occupied[(x, y)])
                return
            occupied[(x, y)] = where


def run_static(paths):
    problems = Problems()
    uids = {}
    for path in paths:
        name = os.path.basename(path)
        try:
            dashboard = load(path)
        except (OSError, ValueError) as e:
            problems.add(name, "cannot read: %s" % e)
            continue
        check_dashboard(name, dashboard, problems)
        uid = dashboard.get("uid") if isinstance(dashboard, dict) else None
        if uid in uids:
            problems.add(name, "uid %r is also used by %s" % (uid, uids[uid]))
        uids[uid] = name
    for item in problems.items:
        print("FAIL " + item)
    print("static check of %d dashboard(s): %s" % (len(paths), "%d problem(s)" % len(problems.items) if problems.items else "OK"))
    return 1 if problems.items else 0


# ------------------------------------------------------------------------- rules and live queries


def substituted_queries(paths):
    """(Query, rule name, PromQL ready for Prometheus or None, the reason it is not or None)."""
    for path in paths:
        name = os.path.basename(path)
        for query in queries_of(name, load(path)):
            record = "dashboard:%s:%s" % (re.sub(r"\W", "_", name), re.sub(r"\W", "_", query.key))
            if query.expr is None:
                yield query, record, None, "not a label_values(metric{...}, label) query"
                continue
            try:
                yield query, record, substitute(query.expr), None
            except ValueError as e:
                yield query, record, None, str(e)


def run_rules(out, paths):
    rules, failed = [], 0
    for query, record, expr, error in substituted_queries(paths):
        if error:
            print("FAIL %s: %s" % (query.label, error))
            failed += 1
            continue
        rules.append({"record": record, "expr": expr, "labels": {"query": query.label}})
    with open(out, "w", encoding="utf-8") as f:
        # JSON is YAML: promtool reads it as a rule file.
        json.dump({"groups": [{"name": "dashboards", "rules": rules}]}, f, indent=2, ensure_ascii=False)
    print("wrote %d queries as recording rules to %s" % (len(rules), out))
    return 1 if failed else 0


def evaluate(base, expr):
    """(result: list of series, or [scalar] for a scalar, error message or None)."""
    url = "%s/api/v1/query?%s" % (base.rstrip("/"), urllib.parse.urlencode({"query": expr}))
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        try:
            body = json.load(e)
        except ValueError:
            return [], "HTTP %d" % e.code
    except (OSError, ValueError) as e:
        return [], "query failed: %s" % e
    if body.get("status") != "success":
        return [], "invalid: %s: %s" % (body.get("errorType"), body.get("error"))
    data = body["data"]
    if data["resultType"] in ("scalar", "string"):
        return [data["result"]], None
    return data["result"], None


def metric_names(expr):
    return check_expr("", expr, Problems(), required=())


def missing_metrics(base, expr):
    """Why a query found nothing: the metrics it names that Prometheus has no series of."""
    names = metric_names(expr)
    found = set()
    for name in names:
        result, _ = evaluate(base, "count(%s)" % name)
        if result:
            found.add(name)
    if names - found:
        return "not scraped: " + ", ".join(sorted(names - found))
    return "the metrics exist; the selector or the functions filtered every series out"


def run_query(base, paths):
    passed = failed = 0
    for query, _, expr, error in substituted_queries(paths):
        result, detail = [], ""
        if error is None:
            result, error = evaluate(base, expr)
        if error is None and not result:
            error = "no series (%s)" % missing_metrics(base, expr)
        if error is None and query.offers:
            # label_values() offers the non-empty values of the label.
            values = sorted({series["metric"].get(query.offers, "") for series in result} - {""})
            if not values:
                error = "no series has the label %s" % query.offers
            detail = " (%s)" % ", ".join(values[:5] + (["..."] if len(values) > 5 else []))
        if error:
            failed += 1
            print("FAIL %s: %s\n       %s" % (query.label, error, expr or query.expr))
        else:
            passed += 1
            print("OK   %s: %d series%s" % (query.label, len(result), detail))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(argv):
    command = "static"
    if argv and argv[0] in ("static", "rules", "query"):
        command, argv = argv[0], argv[1:]
    if command in ("rules", "query"):
        if not argv:
            print(__doc__, file=sys.stderr)
            return 2
        arg, argv = argv[0], argv[1:]
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    paths = argv or sorted(glob.glob(os.path.join(root, "grafana", "dashboards", "*.json")))
    if not paths:
        print("no dashboards found", file=sys.stderr)
        return 2
    if command == "static":
        return run_static(paths)
    if command == "rules":
        return run_rules(arg, paths)
    return run_query(arg, paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
