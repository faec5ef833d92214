#!/usr/bin/env node
/**
 * `npm run review -- preview.json` (or `pulumi-vmpools-review preview.json`
 * where the package is installed): prints the Markdown summary of a recorded
 * `pulumi preview --json` run, for a pull-request comment. `-` reads
 * standard input. Exits 2 on a file it cannot read.
 */
import * as fs from "node:fs";

import { readPreviewRecord } from "./preview-record";
import { renderReview } from "./render-review";

const USAGE = "usage: pulumi-vmpools-review <preview.json | -> (the output of PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --policy-pack ...)";

function main(args: readonly string[]): number {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0 || file === "--help" || file === "-h") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    process.stdout.write(renderReview(readPreviewRecord(text)));
    return 0;
  } catch (err) {
    process.stderr.write(`cannot review ${file}: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
