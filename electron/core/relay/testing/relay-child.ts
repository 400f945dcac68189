// A relay in its own process for the kill -9 test and the bench: the same startRelay over the same data
// directory, so killing it at any moment is what a power cut does to the listener and the worker together.
import { readFileSync } from 'node:fs';
import { MAILBOX_LIMITS, MailPacer, systemPacingClock } from '../../mail/pacing';
import { startRelay } from '../relay-service';
import { openRelayCore } from './relay-fixture';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const caFile = process.env['RELAY_CA_FILE'];
  const core = await openRelayCore(env('RELAY_DATA_DIR'), {
    authorityHost: env('RELAY_AUTHORITY'),
    graphRoot: env('RELAY_GRAPH_ROOT'),
    // An emulator in another process (the bench): its CA from the file it wrote.
    ...(caFile === undefined ? {} : { caCertPem: readFileSync(caFile, 'utf8') }),
  });
  const relay = await startRelay(core, {
    listen: {
      port: Number(env('RELAY_PORT')),
      trustedClients: [{ client: '127.0.0.1', profileId: env('RELAY_PROFILE_ID') }],
      maxConnections: 64,
    },
    worker: { firstRetryMs: 200, maxRetryMs: 1_000 },
    // The emulator does not throttle here: Exchange's 30 a minute would make a drain of hundreds take minutes.
    pacer: new MailPacer(systemPacingClock, { ...MAILBOX_LIMITS, messagesPerMinute: 100_000 }),
    language: 'en',
  });
  process.stdout.write(`READY ${relay.listening.port}\n`);
  setInterval(() => process.stdout.write(`COUNTS ${JSON.stringify(relay.worker.counts())}\n`), 200).unref();
  process.once('SIGTERM', () => void relay.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`relay child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(70);
});
