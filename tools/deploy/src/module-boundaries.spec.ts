import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/deploy-checks';

/**
 * The module boundaries of eslint.config.mjs fail lint on a violation: each case is a file that
 * does not exist, linted by ESLint with the workspace's configuration as if it were at its path.
 * ESLint runs in a child process (it loads its configuration as an ES module, which jest's module
 * system cannot), once for every case.
 */

interface Case {
  name: string;
  filePath: string;
  code: string;
  /** The module-boundaries error expected; none for an import that is allowed. */
  expected?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'the domain imports a framework',
    filePath: 'libs/rules/src/lib/x.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    expected: /A project tagged with "type:domain" is not allowed to import "@nestjs\/common"/,
  },
  {
    name: 'the domain imports a database driver',
    filePath: 'libs/rules/src/lib/x.ts',
    code: "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n",
    expected: /"type:domain" is not allowed to import "typeorm"/,
  },
  {
    name: 'the domain imports another library of ours',
    filePath: 'libs/rules/src/lib/x.ts',
    code: "import { SystemClock } from '@recert/clock';\nexport const x = SystemClock;\n",
    expected: /A project tagged with "type:domain" cannot depend on any libs with tags/,
  },
  {
    name: 'the domain imports the platform (which depends on it)',
    filePath: 'libs/rules/src/lib/x.ts',
    code: "import { loadRecertConfig } from '@recert/platform';\nexport const x = loadRecertConfig;\n",
    expected: /Circular dependency between "rules" and "platform"|"type:domain" cannot depend on any libs/,
  },
  {
    name: 'the contracts import the broker client',
    filePath: 'libs/contracts/src/lib/x.ts',
    code: "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
    expected: /"type:contract" is not allowed to import "kafkajs"/,
  },
  {
    name: 'an app imports another app by its entry point',
    filePath: 'apps/audits/src/x.ts',
    code: "import { PaymentsModule } from '@recert/payments-service';\nexport const x = PaymentsModule;\n",
    expected: /Imports of apps are forbidden/,
  },
  {
    name: 'an app imports another app by a relative path',
    filePath: 'apps/audits/src/x.ts',
    code: "import { PaymentsModule } from '../../payments/src/payments.module';\nexport const x = PaymentsModule;\n",
    expected: /Projects cannot be imported by a relative or absolute path/,
  },
  {
    name: 'production code of an infrastructure library imports the test library',
    filePath: 'libs/deadlines/src/lib/x.ts',
    code: "import { waitFor } from '@recert/testing';\nexport const x = waitFor;\n",
    expected: /A project tagged with "type:infra" can only depend on libs tagged with/,
  },
  {
    name: 'allowed: a spec of an infrastructure library imports the test library',
    filePath: 'libs/deadlines/src/lib/x.spec.ts',
    code: "import { waitFor } from '@recert/testing';\nexport const x = waitFor;\n",
  },
  {
    name: 'allowed: the end-to-end tests import a service by its entry point',
    filePath: 'apps/e2e/src/x.ts',
    code: "import { PaymentsModule } from '@recert/payments-service';\nexport const x = PaymentsModule;\n",
  },
  {
    name: 'the end-to-end tests import inside a service',
    filePath: 'apps/e2e/src/x.ts',
    code: "import { PaymentsModule } from '../../payments/src/payments.module';\nexport const x = PaymentsModule;\n",
    expected: /Projects cannot be imported by a relative or absolute path/,
  },
];

const LINT = `
const { ESLint } = require('eslint');
(async () => {
  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd() });
  const messages = [];
  for (const { code, filePath } of cases) {
    const [result] = await eslint.lintText(code, { filePath });
    messages.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(messages));
})().catch((error) => { console.error(error); process.exit(1); });
`;

let messages: string[][];
beforeAll(() => {
  // The rule reads Nx's cached project graph and skips itself without one: compute it first.
  execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], { cwd: ROOT, stdio: 'ignore' });
  const output = execFileSync(process.execPath, ['-e', LINT], {
    cwd: ROOT,
    input: JSON.stringify(CASES.map(({ filePath, code }) => ({ filePath, code }))),
    encoding: 'utf8',
  });
  messages = JSON.parse(output) as string[][];
}, 120_000);

const boundaryErrors = (i: number) =>
  (messages[i] ?? []).filter((m) => m.startsWith('@nx/enforce-module-boundaries: ')).join('\n');

describe('module boundaries', () => {
  it.each(CASES.map((c, i) => [c.name, i, c.expected] as const))('%s', (_name, i, expected) => {
    if (expected) expect(boundaryErrors(i)).toMatch(expected);
    else expect(boundaryErrors(i)).toBe('');
  });
});
