#!/usr/bin/env node
// Runs the TypeScript sources through tsx so that a fresh `npm ci` is all it takes: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
