// `npm run bench:dpop`: what a DPoP proof costs the contacts API per request. Signs N real
// ES256 proofs (as the SPA would), then times the API's own proof verifier over them (the
// same code as in production: signature with the embedded key, htm/htu, iat, ath,
// thumbprint, replay cache). Prints µs per proof, wall and CPU. BENCH_PROOFS overrides N.
import { cpus, loadavg } from 'node:os';
import { createDpopNonces, NONCE_LIFETIME_MS } from '../servers/contacts-api/dpop-nonce.ts';
import { createDpopProofVerifier } from '../servers/contacts-api/dpop-proof.ts';
import { createInProcessReplayCache } from '../servers/contacts-api/dpop-replay-cache.ts';
import { createDpopKey, createProof } from '../servers/dpop-test-proofs.ts';

const PROOFS = Number(process.env.BENCH_PROOFS ?? 5000);
const HTU = 'http://localhost:4001/contacts';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'.repeat(8);

const key = await createDpopKey('ES256');
const proofs: string[] = [];
for (let i = 0; i < PROOFS; i += 1) proofs.push(await createProof(key, { htu: HTU, token: TOKEN }));

const verify = createDpopProofVerifier({
  nonces: createDpopNonces(),
  // One key signs every proof: the per-user bound would stop the run, so it is lifted.
  replays: createInProcessReplayCache({ retentionMs: NONCE_LIFETIME_MS, proofsPerMinute: PROOFS }),
});
const request = (proof: string) => ({
  method: 'GET',
  url: new URL(HTU),
  proofs: [proof],
  accessToken: TOKEN,
  keyThumbprint: key.jkt,
  subject: 'bench alice',
});

for (const proof of proofs.slice(0, 200)) await verify(request(proof)); // warm-up
const timed = proofs.slice(200);
const load = loadavg()[0]?.toFixed(1);
const cpuStart = process.cpuUsage();
const start = performance.now();
for (const proof of timed) await verify(request(proof));
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);

const perProof = (micros: number) => `${(micros / timed.length).toFixed(0)} µs`;
process.stdout.write(
  [
    `DPoP proof verification (ES256), ${timed.length} proofs, one at a time`,
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${load}`,
    `wall per proof: ${perProof(wallMs * 1000)}`,
    `CPU per proof:  ${perProof(cpu.user + cpu.system)}`,
    '',
  ].join('\n'),
);
