// Validates the custom resources that ChartCheck wrote to <file>.crds.json against the
// @kubernetes-models schemas (Gateway API, Prometheus operator). Prints PASS/FAIL lines.
// Usage: node validate-crds.mjs FILE.crds.json...   (run with NODE_PATH-independent absolute imports)
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.PLAZA_NODE_MODULES;
if (!modules) { console.error("PLAZA_NODE_MODULES not set"); process.exit(2); }
const KINDS = {
  "gateway.networking.k8s.io/v1 HTTPRoute": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute.js",
  "gateway.networking.k8s.io/v1 Gateway": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway.js",
  "monitoring.coreos.com/v1 ServiceMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js",
  "monitoring.coreos.com/v1 PodMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor.js",
  "monitoring.coreos.com/v1 PrometheusRule": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule.js",
};
let passed = 0, failed = 0;
for (const f of process.argv.slice(2)) {
  const tag = basename(f).replace(/\.crds\.json$/, ".yaml");
  for (const doc of JSON.parse(readFileSync(f, "utf8"))) {
    const what = `schema ${doc.apiVersion} ${doc.kind}/${doc.metadata?.name}`;
    const mod = KINDS[`${doc.apiVersion} ${doc.kind}`];
    if (!mod) { failed++; console.log(`FAIL [${tag}] ${what}: no validator for this kind`); continue; }
    const cls = Object.values(await import(pathToFileURL(join(modules, mod)).href))[0];
    try {
      new cls(doc).validate();
      passed++; console.log(`PASS [${tag}] ${what}`);
    } catch (e) {
      failed++; console.log(`FAIL [${tag}] ${what}: ${String(e.message).replace(/\n/g, " ")}`);
    }
  }
}
console.log(`crd-check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
