// Lints the Dockerfile with dockerfile-utils (the validator behind the VS Code Docker extension),
// then checks the house rules the issue asks for. Prints PASS/FAIL lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.PLAZA_NODE_MODULES;
const file = process.argv[2] ?? "Dockerfile";
const text = readFileSync(file, "utf8");
const du = await import(pathToFileURL(join(modules, "dockerfile-utils/lib/main.js")).href);
const validate = du.validate ?? du.default?.validate;
let failed = 0;
const check = (ok, what, why = "") => {
  if (ok) console.log(`PASS ${file}: ${what}`);
  else { failed++; console.log(`FAIL ${file}: ${what}${why ? ": " + why : ""}`); }
};
// every diagnostic counts, warnings included (severity 1 = error, 2 = warning)
const diags = validate(text, { deprecatedMaintainer: 1, emptyContinuationLine: 1, instructionCasing: 1,
  instructionCmdMultiple: 1, instructionEntrypointMultiple: 1, instructionHealthcheckMultiple: 1,
  instructionJSONInSingleQuotes: 1, instructionWorkdirRelative: 1 });
check(diags.length === 0, "dockerfile-utils lint",
  diags.map(d => `line ${d.range.start.line + 1}: ${d.message}`).join("; "));
const lines = text.split("\n");
const froms = lines.filter(l => /^FROM\s/i.test(l));
check(froms.length >= 2, "multi-stage build");
check(froms.every(l => /:[\w.-]*\d[\w.-]*(@sha256:[0-9a-f]{64})?(\s|$)/.test(l.split(/\s+/)[1] ?? "")), "every base image pinned to a version tag",
  froms.join(" | "));
check(/^ARG\s+SERVICE\b/m.test(text), "ARG SERVICE selects the service");
const runtime = text.slice(Math.max(0, text.lastIndexOf("\nFROM ")));
const user = runtime.match(/^USER\s+(\S+)/m)?.[1] ?? "";
check(/^\d+(:\d+)?$/.test(user) && !user.startsWith("0"), "runtime runs as a numeric non-root USER", `USER ${user}`);
check(/^ENTRYPOINT\s+\[/m.test(runtime), "exec-form ENTRYPOINT");
check(/JAVA_TOOL_OPTIONS=.*-XX:MaxRAMPercentage=75.*-XX:\+ExitOnOutOfMemoryError/.test(runtime), "JAVA_TOOL_OPTIONS with MaxRAMPercentage=75 and ExitOnOutOfMemoryError");
check(/COPY\s+--from=\S+\s+.*\/libs\/?\s/.test(runtime) && /COPY\s+--from=\S+\s+.*\.jar\s/.test(runtime), "runtime copies libs/ and the thin jar from the build stage");
const stages = text.split(/\n(?=FROM\s)/i);
const depStage = stages.find(st => /:go-offline|dependency:resolve/.test(st)) ?? "";
const depAt = depStage.search(/:go-offline|dependency:resolve/);
const srcAt = depStage.search(/^COPY\s+(?!--from)(modules\/|\.\s)/m);
check(depAt > 0 && srcAt > depAt, "dependencies cached in a layer before the sources are copied");
console.log(`dockerfile-check: ${failed ? "failed" : "ok"}`);
process.exit(failed ? 1 : 0);
