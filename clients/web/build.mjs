// Bundles the app (src/main.ts -> dist/app.js, plus static/) or, with --tests, the unit tests
// (test/*.test.ts -> dist-test/*.test.mjs for node's test runner). Type checking is tsc's job.
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";

const tests = process.argv.includes("--tests");
if (tests) {
  rmSync("dist-test", { recursive: true, force: true });
  await build({
    entryPoints: readdirSync("test").filter((f) => f.endsWith(".test.ts")).map((f) => `test/${f}`),
    outdir: "dist-test",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
} else {
  rmSync("dist", { recursive: true, force: true });
  mkdirSync("dist");
  cpSync("static", "dist", { recursive: true });
  await build({
    entryPoints: { app: "src/main.ts" },
    outdir: "dist",
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  });
}
