// Bundles the SDK into one ES module for browsers (dist/arqonbus.browser.js) and one minified copy.
import { build } from "esbuild";

for (const minify of [false, true]) {
  await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify,
    sourcemap: true,
    outfile: minify ? "dist/arqonbus.browser.min.js" : "dist/arqonbus.browser.js",
    logLevel: "warning",
  });
}
