import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { SystemClock } from '@recert/clock';
import { databaseOptions, loadRecertConfig, migrateServiceSchema } from '@recert/platform';
import { AddStaffHandler, NewStaffMember } from '../../apps/gateway/src/add-staff/add-staff.handler';
import { migrations } from '../../apps/gateway/src/database/migrations';
import { Argon2PasswordHasher } from '../../apps/gateway/src/staff-accounts/password-hasher';

const USAGE = `npm run staff:create-admin -- [--email <e-mail>] [--name <name>] [--password <password>] [--roles admin,reviewer,ops]
  Creates a staff account (by default the first admin) in the gateway's schema of DATABASE_URL,
  migrating that schema first. What is not given is asked for; the password is not echoed, and
  may come from STAFF_ADMIN_PASSWORD instead of the command line (where other users could see it).`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Asks on the terminal; `hidden` keeps the answer off the screen. */
async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write: (chunk, _encoding, done) => {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stdout.write('\n');
  return value.trim();
}

async function main(args: string[]): Promise<void> {
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const email = option(args, 'email') ?? (await ask('e-mail: '));
  const name = option(args, 'name') ?? (await ask('name: '));
  const password =
    option(args, 'password') ??
    process.env['STAFF_ADMIN_PASSWORD'] ??
    (await ask('password (12 characters or more): ', true));
  const member = NewStaffMember.safeParse({
    email,
    name,
    password,
    roles: (option(args, 'roles') ?? 'admin').split(','),
  });
  if (!member.success) throw new Error(member.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const config = loadRecertConfig('gateway', process.env);
  const dataSource = new DataSource(databaseOptions(config.database, { entities: [], migrations }));
  await dataSource.initialize();
  try {
    await migrateServiceSchema(dataSource, config.database.schema);
    const account = await new AddStaffHandler(dataSource, new Argon2PasswordHasher(), new SystemClock()).add(
      member.data,
      'npm run staff:create-admin',
    );
    console.log(
      `created ${account.name} <${account.email}> (${account.roles.join(', ')}) in schema ${config.database.schema}; sign in at /console`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`staff:create-admin: ${error.message}`);
  process.exit(1);
});
