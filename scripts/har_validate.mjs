#!/usr/bin/env node
// Validates HAR files against the HAR 1.2 JSON schema: npm's har-validator (ajv with the
// har-schema package's schemas), pinned in tools/package.json and installed into
// tools/node_modules by `npm ci --prefix tools`.
//
//   node scripts/har_validate.mjs FILE...
//
// Prints each file's verdict and, for a failure, each schema error; ends with
// `N passed, M failed`. Exit 0 when every file passes, 1 when one fails, 2 on bad usage or a
// missing validator. Before the files, a self-check makes sure the validator can fail: a small
// valid HAR must pass, and the same HAR without `log.version` or with a broken entry must not.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tools/package.json", import.meta.url));
let validator;
try {
  validator = require("har-validator");
} catch {
  console.error("har_validate: har-validator is missing; run `npm ci --prefix tools`");
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => f === "-h" || f === "--help")) {
  console.error("usage: node scripts/har_validate.mjs FILE...");
  process.exit(2);
}

/** The schema errors for `data` (an empty list when it is valid). */
async function errors(data) {
  try {
    await validator.har(data);
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    return e.errors.map((err) => {
      const where = err.dataPath || "(root)";
      const params = err.params ? ` ${JSON.stringify(err.params)}` : "";
      return `${where}: ${err.message}${params}`;
    });
  }
}

// The self-check.
const entry = {
  startedDateTime: "2023-11-14T22:13:20.000Z",
  time: 0,
  request: {
    method: "GET", url: "http://localhost/", httpVersion: "HTTP/1.1",
    cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0,
  },
  response: {
    status: 200, statusText: "OK", httpVersion: "HTTP/1.1", cookies: [], headers: [],
    content: { size: 0, mimeType: "text/html" }, redirectURL: "", headersSize: -1, bodySize: 0,
  },
  cache: {},
  timings: { send: 0, wait: 0, receive: 0 },
};
const good = { log: { version: "1.2", creator: { name: "self-check", version: "1" }, entries: [entry] } };
const noVersion = structuredClone(good);
delete noVersion.log.version;
const badEntry = structuredClone(good);
badEntry.log.entries[0].response.status = "200";
delete badEntry.log.entries[0].timings;
const selfCheck = [
  (await errors(good)).length === 0,
  (await errors(noVersion)).length > 0,
  (await errors(badEntry)).length > 0,
];
if (selfCheck.includes(false)) {
  console.error("har_validate: self-check failed: the validator does not tell valid from invalid");
  process.exit(2);
}

let passed = 0;
let failed = 0;
for (const file of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.log(`FAIL ${file}: ${e.code === "ENOENT" ? "no such file" : `not JSON (${e.message})`}`);
    failed += 1;
    continue;
  }
  const found = await errors(data);
  if (found.length === 0) {
    console.log(`ok   ${file}`);
    passed += 1;
  } else {
    console.log(`FAIL ${file}`);
    for (const line of found) console.log(`     ${line}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
