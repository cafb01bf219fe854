// Bundles the dashboard (TypeScript + uPlot from node_modules) into target/classes/arqonbus-dashboard/,
// the class-path folder the server serves at /dashboard, with files.txt listing what is there.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const out = process.env.DASHBOARD_OUT ?? "target/classes/arqonbus-dashboard";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  outfile: path.join(out, "dashboard.js"),
  logLevel: "warning",
});
const css = readFileSync("src/dashboard.css", "utf8") + "\n" + readFileSync("node_modules/uplot/dist/uPlot.min.css", "utf8");
writeFileSync(path.join(out, "dashboard.css"), css);
copyFileSync("src/index.html", path.join(out, "index.html"));
const files = readdirSync(out).filter((f) => f !== "files.txt").sort();
writeFileSync(path.join(out, "files.txt"), files.join("\n") + "\n");
