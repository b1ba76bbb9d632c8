#!/usr/bin/env bash
# End-to-end: a new user's cdk8s project with the packed library, exactly as the README's
# "Set-up in a new cdk8s project" does it. Offline apart from the npm registry.
#
#  1. pack the library (npx projen package:js; .npmignore must stay as committed);
#  2. create the app from the cdk8s-cli typescript-app template (the one `cdk8s init
#     typescript-app` uses, rendered the same way, with sscaff), running the template's own
#     set-up steps except `cdk8s import` (it downloads the Kubernetes schemas);
#  3. install the tarball (cdk8s-plus-33 comes with the template);
#  4. main.ts, cdk8s.yaml, main.test.ts from the README; jest.config.js as the README says;
#  5. tsc --strict; Jest with every matcher (toAllowTraffic, toDenyTraffic,
#     toMatchConnectivitySnapshot) from Jest's globals and from @jest/globals;
#     ESM import of both entry points;
#  6. cdk8s synth with the README's plugin configuration and the code suppression;
#  7. netpol lint on the output (human and SARIF).
# Needs the compiled library (npm run check first). Prints one line per step; exits 1 on the
# first failure with a line saying which.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
KEEP="${E2E_KEEP:-}"
cleanup() { if [ -z "$KEEP" ]; then rm -rf "$WORK"; else echo "e2e: kept $WORK"; fi; }
trap cleanup EXIT
step() { echo "e2e: $*"; }
fail() { echo "e2e: FAILED: $*"; exit 1; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step "1. packing the library"
(cd "$ROOT" && npx projen package:js >"$WORK/pack.log" 2>&1) || { cat "$WORK/pack.log"; fail "npx projen package:js"; }
(cd "$ROOT" && git diff --quiet -- .npmignore) || fail "npx projen package:js modified .npmignore"
TARBALL="$(ls "$ROOT"/dist-pkg/js/cdk8s-netpol@*.jsii.tgz | head -1)"
[ -f "$TARBALL" ] || fail "no tarball in dist-pkg/js"
tar tzf "$TARBALL" > "$WORK/files.txt"
grep -q '^package/lib/testing/setup.js$' "$WORK/files.txt" || fail "the tarball has no lib/testing/setup.js"
grep -q '^package/lib/plugin.js$' "$WORK/files.txt" || fail "the tarball has no lib/plugin.js (the plugin entry cdk8s.yaml names)"
if grep -qE '^package/(scripts|examples|bench|test|src)/' "$WORK/files.txt"; then fail "the tarball ships scripts/, examples/, bench/, test/ or src/"; fi

step "2. the cdk8s-cli typescript-app template (cdk8s init typescript-app, without cdk8s import)"
APP="$WORK/shop"
mkdir -p "$APP"
node "$ROOT/test/e2e/render-template.js" "$APP" || fail "rendering the cdk8s-cli template"
(cd "$APP" && npm install --no-audit --no-fund >"$WORK/install.log" 2>&1) || { tail -30 "$WORK/install.log"; fail "npm install in the new project"; }

step "3. npm install cdk8s-netpol (the packed tarball)"
(cd "$APP" && npm install --no-audit --no-fund "$TARBALL" >>"$WORK/install.log" 2>&1) || { tail -30 "$WORK/install.log"; fail "npm install of the tarball"; }
[ -d "$APP/node_modules/cdk8s-plus-33" ] || fail "cdk8s-plus-33 is not installed in the new project"
[ ! -d "$APP/node_modules/cdk8s-plus-28" ] || fail "installing cdk8s-netpol brought cdk8s-plus-28"

step "4. main.ts, cdk8s.yaml and main.test.ts from the README; jest.config.js registers the matchers"
node "$ROOT/test/e2e/from-readme.js" "$ROOT/README.md" "$APP" || fail "taking the files from the README"

step "5. tsc --strict, Jest (globals and @jest/globals), ESM imports"
(cd "$APP" && npx tsc --strict --noEmit -p .) || fail "tsc --strict on the README's main.ts and tests"
# --ci=false: as the README's `npx jest` runs on a developer's machine (on a CI runner Jest turns
# --ci on by itself, and then does not write the new connectivity snapshots, failing the test)
(cd "$APP" && npx jest --ci=false 2>&1 | tee "$WORK/jest.log") || fail "jest"
grep -q 'Tests: *2 passed, 2 total' "$WORK/jest.log" || fail "jest did not run both test files"
# every matcher ran in both flavours: the connectivity snapshot was written once for each file
grep -q 'Snapshots: *2 written, 2 total' "$WORK/jest.log" || fail "jest did not write the connectivity snapshot of both test files"
for f in main.test.ts globals.test.ts; do
  grep -q 'shop/web => shop/api : TCP 9000' "$APP/__snapshots__/$f.snap" || fail "the connectivity snapshot of $f does not hold the storefront's flow"
done
if grep -q 'netpol lint' "$WORK/jest.log"; then fail "the matchers printed lint output"; fi
(cd "$APP" && node --input-type=module -e "
import { Policy, NetpolLintPlugin } from 'cdk8s-netpol';
import { registerNetpolMatchers, netpolMatchers } from 'cdk8s-netpol/lib/testing';
if (typeof Policy !== 'function' || typeof NetpolLintPlugin !== 'function' || typeof registerNetpolMatchers !== 'function' || !netpolMatchers.toAllowTraffic) process.exit(1);
") || fail "ESM import of cdk8s-netpol and cdk8s-netpol/lib/testing"

step "6. cdk8s synth with the README's plugin configuration"
(cd "$APP" && npx cdk8s synth > "$WORK/synth.log" 2>&1) || { cat "$WORK/synth.log"; fail "cdk8s synth"; }
cat "$WORK/synth.log"
grep -q 'netpol.cdk8s.io/suppress: "NP006: the storefront is public, behind the CDN"' "$APP/dist/shop.k8s.yaml" \
  || fail "the code suppression was not written onto the storefront policy"
[ -f "$APP/dist/construct-metadata.json" ] || fail "cdk8s synth did not run the validation plugin (no construct-metadata.json)"
grep -q 'NetpolLintPlugin\|cdk8s-netpol' "$WORK/synth.log" || fail "cdk8s synth printed no report of the netpol plugin"

step "7. netpol lint on the output"
(cd "$APP" && npx netpol lint dist/) || fail "netpol lint dist/ found errors"
(cd "$APP" && npx netpol lint dist/ --format sarif > "$WORK/netpol.sarif") || fail "netpol lint --format sarif"
node -e "
const log = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const r = log.runs[0].results.find(x => x.ruleId === 'NP006');
if (!r || !r.suppressions) { console.error('no suppressed NP006 result'); process.exit(1); }
if (!r.locations[0].logicalLocations.some(l => l.fullyQualifiedName === 'shop/Storefront')) { console.error('no construct path'); process.exit(1); }
" "$WORK/netpol.sarif" || fail "the SARIF has no suppressed NP006 at construct shop/Storefront"

step "ok: a new cdk8s project builds, tests, synthesizes and lints with the packed library"
