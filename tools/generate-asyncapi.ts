import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument, RecertEvents } from '@recert/contracts';

// Writes docs/asyncapi.json from the event catalog (npm run asyncapi).
const target = join(__dirname, '../docs/asyncapi.json');
writeFileSync(target, `${JSON.stringify(asyncApiDocument(RecertEvents), null, 2)}\n`);
console.log(`wrote ${target}`);
