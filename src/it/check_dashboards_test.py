"""Tests of check-dashboards.py: each rule catches what it is there for (python3 -m unittest)."""

import copy
import importlib.util
import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location("check_dashboards", os.path.join(HERE, "check-dashboards.py"))
check = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check)
DASHBOARD = os.path.join(HERE, "..", "..", "grafana", "dashboards", "supervision.json")


def problems_of(dashboard):
    problems = check.Problems()
    check.check_dashboard("d.json", dashboard, problems)
    return problems.items


class StaticCheck(unittest.TestCase):
    def setUp(self):
        with open(DASHBOARD, encoding="utf-8") as f:
            self.dashboard = json.load(f)

    def mutated(self, change):
        dashboard = copy.deepcopy(self.dashboard)
        change(dashboard)
        return problems_of(dashboard)

    def panel(self, dashboard, title):
        return next(p for p in check.all_panels(dashboard) if p.get("title") == title)

    def expr(self, dashboard, title, old, new):
        target = self.panel(dashboard, title)["targets"][0]
        target["expr"] = target["expr"].replace(old, new)

    def assertProblem(self, change, text):
        problems = self.mutated(change)
        self.assertTrue(any(text in p for p in problems), "%r not in %s" % (text, problems))

    def test_theShippedDashboardPasses(self):
        self.assertEqual([], problems_of(self.dashboard))

    def test_exportForSharingFormIsRejected(self):
        self.assertProblem(lambda d: d.update(__inputs=[]), "__inputs")

    def test_oldSchemaVersionIsRejected(self):
        self.assertProblem(lambda d: d.update(schemaVersion=36), "schemaVersion must be >= 39")

    def test_panelWithoutUnitIsRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Mailbox depth")["fieldConfig"]["defaults"].pop("unit"), "unit is not set")

    def test_unknownUnitIsRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Mailbox depth")["fieldConfig"]["defaults"].update(unit="msgs"), "unknown unit")

    def test_fixedDatasourceIsRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Mailbox depth").update(datasource={"type": "prometheus", "uid": "prometheus"}),
                           "datasource must be")

    def test_missingGridPosIsRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Mailbox depth").pop("gridPos"), "gridPos must have")

    def test_overlappingPanelsAreRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Mailbox depth")["gridPos"].update(x=0), "overlaps")

    def test_hardCodedInstanceIsRejected(self):
        self.assertProblem(lambda d: self.expr(d, "Mailbox depth", 'instance=~"$instance"', 'instance="app:8080"'),
                           "hard-coded instance")

    def test_selectorWithoutApplicationIsRejected(self):
        self.assertProblem(lambda d: self.expr(d, "Registry entries", 'application=~"$application", ', ""),
                           'lacks application=~"$application"')

    def test_bareMetricIsRejected(self):
        self.assertProblem(lambda d: self.panel(d, "Registry entries")["targets"][0].update(expr="sum(supervision_registry_entries)"),
                           "has no {...} selector")

    def test_rateOverAFixedWindowIsRejected(self):
        self.assertProblem(lambda d: self.expr(d, "Call outcomes", "$__rate_interval", "5m"), "use [$__rate_interval]")

    def test_singleValueMatcherOnAVariableIsRejected(self):
        self.assertProblem(lambda d: self.expr(d, "Mailbox depth", 'supervisor=~"$supervisor"', 'supervisor="$supervisor"'),
                           "needs =~")

    def test_missingVariableIsRejected(self):
        def drop_instance(d):
            d["templating"]["list"] = [v for v in d["templating"]["list"] if v["name"] != "instance"]
        self.assertProblem(drop_instance, "template variable instance is missing")

    def test_selectedInstanceIsRejected(self):
        def select(d):
            next(v for v in d["templating"]["list"] if v["name"] == "instance")["current"] = {"text": "h:1", "value": "h:1"}
        self.assertProblem(select, "is hard-coded")


class Substitution(unittest.TestCase):
    def test_variablesInRegexMatchersBecomeMatchAll(self):
        self.assertEqual('rate(x{a=~".*", i=~".*", uri!~"/actuator.*$"}[1m])',
                         check.substitute('rate(x{a=~"$application", i=~"${instance}", uri!~"/actuator.*$"}[$__rate_interval])'))

    def test_rangeMacro(self):
        self.assertEqual('increase(x{a=~".*"}[5m])', check.substitute('increase(x{a=~"$a"}[$__range])'))

    def test_variableInAnExactMatcherIsAnError(self):
        with self.assertRaises(ValueError):
            check.substitute('x{a="$application"}')

    def test_unknownVariableOutsideAMatcherIsAnError(self):
        with self.assertRaises(ValueError):
            check.substitute("rate(x[$window])")

    def test_metricNamesLeaveLabelsOut(self):
        self.assertEqual({"a_total", "b"},
                         check.metric_names('sum by (le) (rate(a_total{x="1"}[1m])) / ignoring (w) group_left sum(b)'))


if __name__ == "__main__":
    unittest.main()
