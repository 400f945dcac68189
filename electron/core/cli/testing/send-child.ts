// Child process for the send-once crash test: runs `Absender send` with an idempotency key over the
// test's data directory and is killed with SIGKILL at a random point. Creates <readyFile> just before
// the command starts (a file, not stdout: pipe writes are asynchronous on some platforms).
// Usage: node --import tsx send-child.ts <dataDir> <authorityHost> <graphRoot> <graphResource> <bodyFile> <key> <readyFile> [attachFile]
import { writeFileSync } from 'node:fs';
import { openConfStore } from '../../testing/conf-store';
import { TEST_HOST } from '../../testing/core-fixture';
import { InMemoryCipher, MemoryLogger } from '../../testing/in-memory';
import { UndiciTransport } from '../../testing/undici-transport';
import { openHeadlessCore } from '../headless-core';
import { runCommand } from '../run-command';

const [
  dataDir = '',
  authorityHost = '',
  graphRoot = '',
  graphResource = '',
  bodyFile = '',
  key = '',
  readyFile = '',
  attach = '',
] = process.argv.slice(2);
const clock = { now: () => new Date() };
writeFileSync(readyFile, 'ready');
const { exitCode } = await runCommand(
  [
    'send',
    '--profile',
    'versand',
    '--to',
    'kunde@example.com',
    '--subject',
    'Lieferung',
    '--body-file',
    bodyFile,
    '--idempotency-key',
    key,
    ...(attach === '' ? [] : ['--attach', attach]),
  ],
  {
    stdout: process.stdout,
    stderr: process.stderr,
    osLanguage: 'en',
    clock,
    openCore: () =>
      openHeadlessCore({
        dataDir,
        open: (name) => openConfStore(dataDir, name),
        os: {
          cipher: new InMemoryCipher(),
          clock,
          logger: new MemoryLogger(),
          transport: new UndiciTransport({ systemProxy: '' }),
        },
        host: TEST_HOST,
        network: {
          endpoints: { global: { authorityHost, graphRoot, graphResource } },
          requestTimeoutMs: 10_000,
          maxRetries: 2,
          maxRetryDelaySeconds: 2,
        },
      }),
  },
);
process.exit(exitCode);
