/**
 * The policy pack's entry point: `pulumi preview --policy-pack <this folder>`
 * runs it (through `package.json`'s `main`, the compiled copy in `dist/`).
 * Constructing the pack starts the policy server, so nothing else imports
 * this module; the policies themselves are in `pack.ts`.
 */
import { PolicyPack } from "@pulumi/policy";

import { createPackArgs, PACK_NAME } from "./pack";

new PolicyPack(PACK_NAME, createPackArgs());
