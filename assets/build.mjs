// Copies and bundles the browser assets installed from the npm registry (package-lock.json)
// into archivekg/site/static/vendor/, which the server serves under /assets/vendor/.
// Run by `make assets` after `npm ci`; the folder is rebuilt from scratch each time and is
// not in git (it is reproducible from the lock file).
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "archivekg", "site", "static", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "basemap"), { recursive: true });

function copy(from, to) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
}

function version(name) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

// Leaflet and its marker clustering, as their authors ship them.
copy("leaflet/dist/leaflet.js", "leaflet/leaflet.js");
copy("leaflet/dist/leaflet.css", "leaflet/leaflet.css");
copy("leaflet/dist/images", "leaflet/images");
copy("leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet/leaflet.markercluster.js");
copy("leaflet.markercluster/dist/MarkerCluster.css", "leaflet/MarkerCluster.css");
copy("leaflet.markercluster/dist/MarkerCluster.Default.css", "leaflet/MarkerCluster.Default.css");
copy("cytoscape/dist/cytoscape.min.js", "cytoscape/cytoscape.min.js");

// Natural Earth country outlines (public domain) from world-atlas, as GeoJSON: the server
// draws its SVG maps from the 1:50m file, the interactive map shows the 1:110m one.
for (const scale of ["50m", "110m"]) {
  const topology = JSON.parse(readFileSync(join(modules, "world-atlas", `countries-${scale}.json`), "utf8"));
  const countries = feature(topology, topology.objects.countries);
  writeFileSync(join(out, "basemap", `countries-${scale}.geojson`), JSON.stringify(countries));
}

// The query editor: CodeMirror 6 with its SPARQL mode, bundled with our editor code.
await build({
  entryPoints: [join(root, "assets", "editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  outfile: join(out, "editor", "editor.js"),
  legalComments: "linked",
});

const versions = {};
for (const name of ["leaflet", "leaflet.markercluster", "cytoscape", "codemirror", "@codemirror/legacy-modes",
                    "@codemirror/autocomplete", "world-atlas", "topojson-client", "esbuild"]) {
  versions[name] = version(name);
}
writeFileSync(join(out, "versions.json"), JSON.stringify(versions, null, 1) + "\n");
writeFileSync(join(out, "basemap", "SOURCE.txt"),
  `Country outlines of Natural Earth (public domain, naturalearthdata.com) at 1:50m and 1:110m,\n` +
  `from the npm package world-atlas ${versions["world-atlas"]} (ISC), converted to GeoJSON with\n` +
  `topojson-client ${versions["topojson-client"]}.\n`);
console.log(`assets written to ${out}`);
