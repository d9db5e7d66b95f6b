#!/usr/bin/env node
import { createCli } from '../cli/main.ts';

await createCli().parseAsync(process.argv);
