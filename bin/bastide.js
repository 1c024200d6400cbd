#!/usr/bin/env node
// Launcher: Bastide runs on the Node.js 24 runtime shipped in node_modules (npm package `node`),
// whatever `node` the shell found first, so `npx bastide` behaves like `npm run bastide`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
const major = Number(process.versions.node.split('.')[0]);
const runtime = major >= 24 || !existsSync(bundled) ? process.execPath : bundled;
const child = spawn(runtime, [join(root, 'src', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
