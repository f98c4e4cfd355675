// `npm run seed:scale -- <username>`: gives that demo user 10,000 generated contacts in the
// database the API uses (CONTACTS_DB or DATA_DIR). Same as starting the API with
// SEED_SCALE_CONTACTS=<username>; both are idempotent.
import { findDemoUser } from '../demo-data.ts';
import { readApiConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { seedScaleContacts } from './seed-scale.ts';
import { createContactStore } from './store.ts';

const username = process.argv[2] ?? process.env.SEED_SCALE_CONTACTS;
const user = username ? findDemoUser(username) : undefined;
if (!user) {
  process.stderr.write(
    `usage: npm run seed:scale -- <demo username>; no demo user "${username ?? ''}"\n`,
  );
  process.exit(1);
}
const config = readApiConfig();
const db = openDatabase(config.databaseFile);
const added = seedScaleContacts(createContactStore(db), {
  iss: config.local.idpIssuer,
  sub: user.sub,
});
db.close();
process.stdout.write(`${config.databaseFile}: added ${added} contacts for ${user.username}\n`);
