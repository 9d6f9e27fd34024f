/** How deep a message or request body may nest: the contracts' shapes need a handful of levels. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Text PostgreSQL cannot store: a NUL character (neither `text` nor `jsonb` holds one) or an
 * unpaired UTF-16 surrogate (`jsonb` refuses it). A schema that accepts any string would let such
 * text through to a query that fails, so it is refused at the door, naming where it is: the first
 * problem, e.g. `payload.courseTitle: must not contain NUL characters or unpaired surrogates`.
 * Keys are checked as well as values, and nesting is bounded (walked without recursion).
 */
export function findUnstorableText(value: unknown, root = ''): string | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop() as { value: unknown; path: string; depth: number };
    const where = item.path || 'value';
    if (typeof item.value === 'string') {
      if (!isStorable(item.value)) return `${where}: must not contain NUL characters or unpaired surrogates`;
    } else if (item.value !== null && typeof item.value === 'object') {
      if (item.depth >= MAX_NESTING_DEPTH) return `${where}: is nested deeper than ${MAX_NESTING_DEPTH} levels`;
      for (const [key, child] of Object.entries(item.value)) {
        const name = key.length > 40 ? `${key.slice(0, 40)}…` : key;
        const path = item.path ? `${item.path}.${name}` : name;
        if (!isStorable(key))
          return `${item.path || 'value'}: a key must not contain NUL characters or unpaired surrogates`;
        pending.push({ value: child, path, depth: item.depth + 1 });
      }
    }
  }
  return null;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function isStorable(text: string): boolean {
  UNPAIRED_SURROGATE.lastIndex = 0;
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/** The same text made storable, for records that must keep what was received (a dead letter's original). */
export function storableText(text: string): string {
  return text.replace(UNPAIRED_SURROGATE, '\uFFFD').split('\u0000').join('\uFFFD');
}
