// Reads two OpenAPI documents (JSON or YAML), diffs them with api-smart-diff, and prints the
// same kind of figures `tollgate spec diff --timings` prints, for bench/specs.sh.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { apiCompare } from "api-smart-diff";

const read = (path) => {
  const text = readFileSync(path, "utf8");
  return text.trimStart().startsWith("{") ? JSON.parse(text) : yaml.load(text);
};
const started = performance.now();
const before = read(process.argv[2]);
const readBase = performance.now();
const after = read(process.argv[3]);
const readBoth = performance.now();
const { diffs } = apiCompare(before, after);
const done = performance.now();
const breaking = diffs.filter((d) => d.type === "breaking").length;
console.error(
  `timings: base read ${Math.round(readBase - started)} ms; revision read ${Math.round(readBoth - readBase)} ms; diff ${Math.round(done - readBoth)} ms (${diffs.length} changes, ${breaking} breaking); peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
