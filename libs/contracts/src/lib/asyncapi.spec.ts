import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument } from './asyncapi';
import { RecertEvents } from './recert-catalog';
import { ALL_TOPICS } from './topics';

const committed = join(__dirname, '../../../../docs/asyncapi.json');

describe('AsyncAPI document', () => {
  it('the committed docs/asyncapi.json is what the code generates (run `npm run asyncapi` after changing an event)', () => {
    const generated = `${JSON.stringify(asyncApiDocument(RecertEvents), null, 2)}\n`;
    expect(readFileSync(committed, 'utf8')).toBe(generated);
  });

  it('documents every topic and every event version of the catalog', () => {
    const doc = asyncApiDocument(RecertEvents) as {
      channels: Record<string, { messages: object }>;
      components: { messages: object };
    };
    expect(Object.keys(doc.channels).sort()).toEqual(ALL_TOPICS.map((t) => t.name).sort());
    expect(Object.keys(doc.components.messages)).toHaveLength(RecertEvents.all().length);
    expect(Object.keys(doc.channels['learning.course-completions'].messages)).toEqual(['CourseCompleted.v1']);
  });
});
