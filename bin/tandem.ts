#!/usr/bin/env node
// The CLI as `node bin/tandem.ts` ran it before its entry point became `tandem.mjs` (plain
// JavaScript, which starts faster): kept for the scripts that name this file.
import './tandem.mjs';
