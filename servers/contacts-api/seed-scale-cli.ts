// `npm run seed:scale -- <username>`: gives that demo user 10,000 generated contacts in the
// database the API uses (CONTACTS_DB or DATA_DIR). Same as starting the API with
// SEED_SCALE_CONTACTS=<username>; both are idempotent.
import { findDemoUser } from '../demo-data.ts';
import { readApiConfig } from './config.ts';
import { quotaNote, seedScaleContacts } from './seed-scale.ts';
import { openStore } from './store/open-store.ts';

const username = process.argv[2] ?? process.env.SEED_SCALE_CONTACTS;
const user = username ? findDemoUser(username) : undefined;
if (!user) {
  process.stderr.write(
    `usage: npm run seed:scale -- <demo username>; no demo user "${username ?? ''}"\n`,
  );
  process.exit(1);
}
const config = readApiConfig(process.env, { serving: false });
const store = await openStore(config);
const quota = config.quotas.contacts;
const added = await seedScaleContacts(
  store,
  { iss: config.local.idpIssuer, sub: user.sub },
  { quota },
);
await store.close();
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.databaseFile;
process.stdout.write(`${where}: added ${added} contacts for ${user.username}${quotaNote(quota)}\n`);
